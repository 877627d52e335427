import JSON

extension NostrEvent {
  /// The NIP-01 serialization whose sha256 is the event id:
  /// `[0,<pubkey>,<created_at>,<kind>,<tags>,<content>]` as UTF-8 JSON with no whitespace and
  /// strings escaped exactly as JavaScript's `JSON.stringify` does (``JSONWriter``): `\"`, `\\`,
  /// `\n`, `\r`, `\t`, `\b`, `\f`, other U+0000–U+001F as `\u00xx`, everything else raw UTF-8
  /// (no Unicode normalization: NFC and NFD content hash differently).
  public var serializationForID: [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(estimatedSerializationSize)
    out.append(contentsOf: "[0,".utf8)
    Self.appendQuoted(pubkey, to: &out)
    out.append(UInt8(ascii: ","))
    out.append(contentsOf: String(createdAt).utf8)
    out.append(UInt8(ascii: ","))
    out.append(contentsOf: String(kind).utf8)
    out.append(UInt8(ascii: ","))
    Self.appendTags(tags, to: &out)
    out.append(UInt8(ascii: ","))
    Self.appendQuoted(content, to: &out)
    out.append(UInt8(ascii: "]"))
    return out
  }

  /// The 32-byte sha256 of ``serializationForID``.
  public var computedIDBytes: [UInt8] { SHA256.hash(serializationForID) }

  /// The id this event must have: lowercase hex sha256 of ``serializationForID``.
  public var computedID: String { Hex.encode(computedIDBytes) }

  /// `tags` as compact JSON text (`[["e","…"],["p","…"]]`), escaped like
  /// ``serializationForID`` — the form the reference stores in its `tags` column.
  public var tagsJSON: String { Self.tagsJSON(tags) }

  /// ``tagsJSON`` of any tag array: written directly, no ``JSON/JSONValue`` tree between.
  public static func tagsJSON(_ tags: [[String]]) -> String {
    var out: [UInt8] = []
    appendTags(tags, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Reads `tags` back from ``tagsJSON`` text (any valid JSON array of arrays of strings).
  public static func tags(fromJSON text: String) throws(NostrEventError) -> [[String]] {
    guard let value = try? JSONValue.parse(text) else {
      throw NostrEventError(code: .invalidTags, message: "Invalid event tags: not valid JSON")
    }
    return try tagsField(value)
  }

  /// Reads a store's `tags` column back, leniently (no NIP-01 limits: a row is as its writer
  /// left it), for the SQLite and PostgreSQL stores alike. Anything but a JSON array of arrays
  /// of strings is a `corrupt` ``EventStoreError`` naming the event.
  public static func storedTags(fromJSON text: String, eventID id: String) throws(EventStoreError) -> [[String]] {
    let value: JSONValue
    do {
      value = try JSONValue.parse(text)
    } catch {
      throw EventStoreError(code: "corrupt", message: "event \(id): tags column is not JSON (\(error))")
    }
    guard let array = value.arrayValue else {
      throw EventStoreError(code: "corrupt", message: "event \(id): tags column is not a JSON array")
    }
    var tags: [[String]] = []
    tags.reserveCapacity(array.count)
    for element in array {
      guard let items = element.arrayValue else {
        throw EventStoreError(code: "corrupt", message: "event \(id): a tag is not an array")
      }
      var tag: [String] = []
      tag.reserveCapacity(items.count)
      for item in items {
        guard let string = item.stringValue else {
          throw EventStoreError(code: "corrupt", message: "event \(id): a tag element is not a string")
        }
        tag.append(string)
      }
      tags.append(tag)
    }
    return tags
  }

  static func appendTags(_ tags: [[String]], to out: inout [UInt8]) {
    out.append(UInt8(ascii: "["))
    for (i, tag) in tags.enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      out.append(UInt8(ascii: "["))
      for (j, element) in tag.enumerated() {
        if j > 0 { out.append(UInt8(ascii: ",")) }
        Self.appendQuoted(element, to: &out)
      }
      out.append(UInt8(ascii: "]"))
    }
    out.append(UInt8(ascii: "]"))
  }

  /// ``JSONWriter/appendQuoted(_:to:)``, which copies runs that need no escaping in bulk.
  @inline(__always)
  static func appendQuoted(_ string: String, to out: inout [UInt8]) {
    JSONWriter.appendQuoted(string, to: &out)
  }

  private var estimatedSerializationSize: Int {
    var size = 100 + pubkey.utf8.count + content.utf8.count
    for tag in tags {
      size += 3
      for element in tag { size += element.utf8.count + 3 }
    }
    return size
  }
}
