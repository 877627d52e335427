import JSON
import Nostr

/// Converting events to and from the `events` table's columns.
enum EventRow {
  /// The columns read back, in this order, by every query.
  static let selectColumns = "id, pubkey, created_at, kind, tags, content, sig"

  /// The `tags` column: the tag array as compact JSON (`JSON.stringify` form, as the reference
  /// wrote it).
  static func tagsJSON(_ tags: [[String]]) -> String {
    JSONValue.array(tags.map { tag in .array(tag.map { .string($0) }) }).serialized
  }

  /// Parses a `tags` column; anything but an array of arrays of strings is a corrupt row.
  static func tags(fromJSON text: String, id: String) throws(EventStoreError) -> [[String]] {
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

  /// Reads the current row of a statement selecting ``selectColumns``.
  static func decode(_ statement: SQLiteStatement) throws(EventStoreError) -> NostrEvent {
    let id = statement.text(0)
    return NostrEvent(
      id: id, pubkey: statement.text(1), createdAt: statement.int64(2),
      kind: Int(statement.int64(3)), tags: try tags(fromJSON: statement.text(4), id: id),
      content: statement.text(5), sig: statement.text(6))
  }
}

extension EventStoreError {
  /// The store's error for a failed SQLite call.
  init(_ error: SQLiteError) {
    self.init(code: error.eventStoreCode, message: error.description)
  }
}
