import Glibc
import Nostr

/// Reads every stored event of a database file in `rowid` order (the order they were stored:
/// oldest first), one at a time, for `bls-fcgi export` (docs/operations.md, Export).
///
/// - One snapshot: the events as of when ``forEach(_:)`` starts, even while BLS keeps storing.
/// - Constant memory: one row is decoded at a time; nothing is collected.
/// - Any schema version works (the `events` table is the reference's in every version), so a
///   reference-written file can be exported without migrating it.
public final class EventExporter {
  private let db: SQLiteConnection

  /// Opens the existing database at `path`; never creates or migrates it.
  public init(databasePath path: String) throws(OperationError) {
    db = try DatabaseFile.openForReading(path)
  }

  deinit { db.close() }

  /// Rows in `events` (for a progress bar).
  public func count() throws(OperationError) -> Int64 {
    do {
      return try db.integer("SELECT count(*) FROM events") ?? 0
    } catch {
      throw OperationError(error, "cannot count events in \(db.path)")
    }
  }

  /// Calls `body` with each event, oldest row first, except those whose NIP-40 expiration is
  /// at or before `now` (Unix seconds): an expired event is never exported, even before the
  /// store's sweep has deleted it. A row whose `tags` is not a JSON array of string arrays
  /// stops the export with a `corrupt` error naming the event. Errors `body` throws stop it
  /// too and are rethrown. Returns how many expired events were left out.
  @discardableResult
  public func forEach(now: Int64 = Int64(time(nil)), _ body: (NostrEvent) throws -> Void) throws -> Int {
    try DatabaseFile.beginSnapshot(db)
    defer { try? db.execute("COMMIT") }
    let statement = try db.prepare("SELECT \(EventRow.selectColumns) FROM events ORDER BY rowid")
    defer { statement.finalize() }
    var expired = 0
    while try statement.step() {
      let event = try EventRow.decode(statement)
      if case .at(let seconds) = event.expiration, seconds <= now {
        expired += 1
        continue
      }
      try body(event)
    }
    return expired
  }
}
