/// A JSON value (RFC 8259), the data model shared by the TOON codec, Nostr events and the
/// HTTP contract.
///
/// Objects keep their keys in insertion order (TOON encoding and diagnostics depend on it);
/// numbers keep their literal text so that integers beyond 2^53 survive a round trip.
public enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case number(JSONNumber)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)
}

extension JSONValue {
  /// The string payload, or `nil` for any other case.
  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The array payload, or `nil` for any other case.
  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  /// The object payload, or `nil` for any other case.
  public var objectValue: JSONObject? {
    if case .object(let o) = self { return o }
    return nil
  }

  /// The number payload, or `nil` for any other case.
  public var numberValue: JSONNumber? {
    if case .number(let n) = self { return n }
    return nil
  }

  /// `true` for `.null`.
  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  /// Member lookup on objects; `nil` for other cases or a missing key.
  public subscript(key: String) -> JSONValue? {
    objectValue?[key]
  }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral,
  ExpressibleByDictionaryLiteral
{
  public init(nilLiteral: ()) { self = .null }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int64) { self = .number(JSONNumber(value)) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
  }
}
