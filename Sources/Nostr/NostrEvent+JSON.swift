import JSON

extension NostrEvent {
  /// Reads an event from its JSON form (NIP-01), checking each field's type and format.
  ///
  /// Fields are checked in the reference implementation's order, so the first broken field
  /// named is the same: `id`, `pubkey`, `kind`, `content`, `tags` (then each tag, then each
  /// element), `created_at`, `sig`. Messages follow the contract word for word, e.g.
  /// `Invalid event tags[0][1]: must be a string`.
  ///
  /// Stricter than the reference (docs/contract.md "beyond"), each in the same position:
  /// - hex must be lowercase (NIP-01); uppercase gets its own message;
  /// - `kind` must be in 0…65535 and `created_at` in 0…2^63−1;
  /// - `kind` and `created_at` must be written as integer literals: `1.0` or `1e3` are
  ///   rejected (a number with a fraction or exponent is not what any Nostr signer writes, and
  ///   accepting it would sign one text while hashing another); `1.5` gets the reference's
  ///   `must be an integer`.
  ///
  /// Members other than the seven event fields are ignored (they are not part of the id).
  /// Nothing here checks the id or the signature: call ``verify()``.
  public init(json: JSONValue) throws(NostrEventError) {
    guard case .object(let object) = json else {
      throw NostrEventError(code: .notAnObject, message: "Decoded value is not an object")
    }
    let id = try Self.hexField(object, "id", digits: 64, code: .invalidID)
    let pubkey = try Self.hexField(object, "pubkey", digits: 64, code: .invalidPubkey)
    let kind = try Self.integerField(object, "kind", in: 0...65535, code: .invalidKind)
    guard case .string(let content)? = object["content"] else {
      throw NostrEventError(code: .invalidContent, message: "Invalid event content: must be a string")
    }
    let tags = try Self.tagsField(object["tags"])
    let createdAt = try Self.integerField(
      object, "created_at", in: 0...Int64.max, code: .invalidCreatedAt)
    let sig = try Self.hexField(object, "sig", digits: 128, code: .invalidSig)
    self.init(
      id: id, pubkey: pubkey, createdAt: createdAt, kind: Int(kind), tags: tags, content: content,
      sig: sig)
  }

  /// The event as a JSON object with members `id`, `pubkey`, `created_at`, `kind`, `tags`,
  /// `content`, `sig`, in that order.
  public var jsonValue: JSONValue {
    var object = JSONObject()
    object["id"] = .string(id)
    object["pubkey"] = .string(pubkey)
    object["created_at"] = .number(JSONNumber(createdAt))
    object["kind"] = .number(JSONNumber(Int64(kind)))
    object["tags"] = Self.tagsJSONValue(tags)
    object["content"] = .string(content)
    object["sig"] = .string(sig)
    return .object(object)
  }

  /// `tags` as a JSON value (array of arrays of strings).
  static func tagsJSONValue(_ tags: [[String]]) -> JSONValue {
    .array(tags.map { tag in .array(tag.map { .string($0) }) })
  }

  private static func hexField(
    _ object: JSONObject, _ name: String, digits: Int, code: NostrEventError.Code
  ) throws(NostrEventError) -> String {
    guard case .string(let text)? = object[name], Hex.isHex(text, length: digits) else {
      throw NostrEventError(
        code: code, message: "Invalid event \(name): must be a \(digits)-character hex string")
    }
    guard Hex.isHex(text, length: digits, lowercaseOnly: true) else {
      throw NostrEventError(
        code: code, message: "Invalid event \(name): must be lowercase hex (NIP-01), found A-F")
    }
    return text
  }

  private static func integerField(
    _ object: JSONObject, _ name: String, in range: ClosedRange<Int64>, code: NostrEventError.Code
  ) throws(NostrEventError) -> Int64 {
    let message: String
    switch IntegerLiteral(object[name]) {
    case .integer(let value) where range.contains(value):
      return value
    case .integer, .outOfRange:
      message = "must be an integer between \(range.lowerBound) and \(range.upperBound)"
    case .integralNotLiteral:
      message = "must be an integer written without a fraction or exponent"
    case .notInteger:
      message = "must be an integer"
    }
    throw NostrEventError(code: code, message: "Invalid event \(name): \(message)")
  }

  static func tagsField(_ value: JSONValue?) throws(NostrEventError) -> [[String]] {
    guard case .array(let items)? = value else {
      throw NostrEventError(code: .invalidTags, message: "Invalid event tags: must be an array")
    }
    var tags: [[String]] = []
    tags.reserveCapacity(items.count)
    for (i, item) in items.enumerated() {
      guard case .array(let elements) = item else {
        throw NostrEventError(code: .invalidTags, message: "Invalid event tags[\(i)]: must be an array")
      }
      var tag: [String] = []
      tag.reserveCapacity(elements.count)
      for (j, element) in elements.enumerated() {
        guard case .string(let s) = element else {
          throw NostrEventError(
            code: .invalidTags, message: "Invalid event tags[\(i)][\(j)]: must be a string")
        }
        tag.append(s)
      }
      tags.append(tag)
    }
    return tags
  }
}

/// How a JSON value stands as an integer field (`kind`, `created_at`).
enum IntegerLiteral: Equatable {
  /// An integer literal (`-?[0-9]+`) that fits in `Int64`.
  case integer(Int64)
  /// An integer literal too large for `Int64`.
  case outOfRange
  /// A number with an integral value written with a fraction or exponent (`1.0`, `1e3`).
  case integralNotLiteral
  /// Not a number, or a number with a fractional part or no finite value.
  case notInteger

  init(_ value: JSONValue?) {
    guard case .number(let number)? = value else {
      self = .notInteger
      return
    }
    let literal = number.literal.utf8
    let digits = literal.first == UInt8(ascii: "-") ? literal.dropFirst() : literal[...]
    if !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
      self = Int64(number.literal).map(Self.integer) ?? .outOfRange
      return
    }
    let double = number.doubleValue
    self = double.isFinite && double == double.rounded() ? .integralNotLiteral : .notInteger
  }
}
