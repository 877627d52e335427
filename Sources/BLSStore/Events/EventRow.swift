import JSON
import Nostr

/// Converting events to and from the `events` table's columns.
enum EventRow {
  /// The columns read back, in this order, by every query.
  static let selectColumns = "id, pubkey, created_at, kind, tags, content, sig"

  /// The `tags` column: the tag array as compact JSON (`JSON.stringify` form, as the reference
  /// wrote it).
  static func tagsJSON(_ tags: [[String]]) -> String { NostrEvent.tagsJSON(tags) }

  /// Reads the current row of a statement selecting ``selectColumns``.
  static func decode(_ statement: SQLiteStatement) throws(EventStoreError) -> NostrEvent {
    let id = statement.text(0)
    return NostrEvent(
      id: id, pubkey: statement.text(1), createdAt: statement.int64(2),
      kind: Int(statement.int64(3)), tags: try NostrEvent.storedTags(fromJSON: statement.text(4), eventID: id),
      content: statement.text(5), sig: statement.text(6))
  }
}

extension EventStoreError {
  /// The store's error for a failed SQLite call.
  init(_ error: SQLiteError) {
    self.init(code: error.eventStoreCode, message: error.description)
  }
}
