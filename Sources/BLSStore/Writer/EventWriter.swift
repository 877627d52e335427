import CSQLite
import Nostr

/// Applies batches of events to the writer connection, one transaction per batch.
///
/// Used only by the writer thread. Each event runs inside its own SAVEPOINT, so an event that
/// fails (a constraint, a malformed row) is rolled back alone and the rest of the batch
/// commits; a failure of the database itself (disk full, I/O error) rolls back the whole
/// transaction and fails every event of the batch.
final class EventWriter {
  let db: SQLiteConnection
  /// Whether any NIP-09 deletion is recorded in the file: until one is, no event can be a
  /// deleted one and ``isDeleted(_:)`` answers without two searches per event. Set when this
  /// writer records a deletion (even one whose batch then rolls back: it only costs the
  /// searches); the file has no other writer while the store is open (``DatabaseLock``).
  var deletionsRecorded: Bool
  /// The statements every stored event runs (``StatementSlot``).
  private let insertEvent = StatementSlot(EventWriter.insertEventSQL(verb: "INSERT"))
  private let insertEventOrIgnore = StatementSlot(EventWriter.insertEventSQL(verb: "INSERT OR IGNORE"))
  private let insertTag = StatementSlot(
    "INSERT OR IGNORE INTO event_tags (name, value, created_at, event_rowid) VALUES (?, ?, ?, ?)")
  private let selectID = StatementSlot("SELECT 1 FROM events WHERE id = ?")
  private let selectAddressHolder = StatementSlot(
    """
    SELECT e.id, e.created_at FROM event_addresses AS a JOIN events AS e ON e.id = a.event_id
    WHERE a.pubkey = ? AND a.kind = ? AND a.d = ?
    """)
  private let insertAddress = StatementSlot(
    "INSERT OR REPLACE INTO event_addresses (pubkey, kind, d, event_id) VALUES (?, ?, ?, ?)")

  private static func insertEventSQL(verb: String) -> String {
    """
    \(verb) INTO events (id, pubkey, kind, content, tags, created_at, sig, received_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    """
  }

  init(db: SQLiteConnection, deletionsRecorded: Bool? = nil) {
    self.db = db
    self.deletionsRecorded = deletionsRecorded ?? Self.anyDeletionRecorded(db)
  }

  /// Whether `event_deletions` or `address_deletions` holds a row (`true` if it cannot tell).
  static func anyDeletionRecorded(_ db: SQLiteConnection) -> Bool {
    let any = try? db.integer(
      "SELECT EXISTS (SELECT 1 FROM event_deletions) OR EXISTS (SELECT 1 FROM address_deletions)")
    return any != 0
  }

  /// The fate of one batch.
  struct BatchResult {
    /// One result per event, in order.
    var results: [Result<StoreOutcome, EventStoreError>]
    /// `false` when the transaction was rolled back and every event failed.
    var committed: Bool
  }

  /// Stores `events` in one transaction and returns one result per event, in order. The
  /// results are final only once this returns: with `synchronous=FULL` the COMMIT has synced
  /// the WAL to disk by then.
  ///
  /// The batch first runs without savepoints (the common case: nothing fails; a savepoint
  /// per event costs about 14 % of SQLite's work, bench/micro). If one event fails, that
  /// attempt is rolled back whole and the batch runs again with a savepoint per event, so the
  /// failing event is rolled back alone and the others commit.
  func apply(_ events: [NostrEvent], receivedAt: Int64) -> BatchResult {
    switch attempt(events, receivedAt: receivedAt, isolated: false) {
    case .done(let result): return result
    case .eventFailed: break
    }
    switch attempt(events, receivedAt: receivedAt, isolated: true) {
    case .done(let result): return result
    case .eventFailed:
      // Unreachable: an isolated attempt handles event failures itself.
      return failAll(events.count, SQLiteError(resultCode: SQLITE_INTERNAL, message: "batch retry failed"))
    }
  }

  private enum Attempt {
    case done(BatchResult)
    /// A non-isolated attempt met an event that failed on its own; nothing was written.
    case eventFailed
  }

  /// One transaction over `events`. `isolated`: each event in its own SAVEPOINT, a failing
  /// event rolled back alone; otherwise the first failing event abandons the attempt.
  private func attempt(_ events: [NostrEvent], receivedAt: Int64, isolated: Bool) -> Attempt {
    do {
      try db.cached("BEGIN IMMEDIATE").run()
    } catch {
      return .done(failAll(events.count, error))
    }
    var results: [Result<StoreOutcome, EventStoreError>] = []
    results.reserveCapacity(events.count)
    var highestRowID: Int64 = 0
    for event in events {
      do {
        if isolated { try db.cached("SAVEPOINT event").run() }
        let (outcome, row) = try store(event, receivedAt: receivedAt)
        highestRowID = max(highestRowID, row ?? 0)
        if isolated { try db.cached("RELEASE event").run() }
        results.append(.success(outcome))
      } catch {
        if error.isFatalToTransaction || db.isAutocommit {
          rollback()
          return .done(failAll(events.count, error))
        }
        guard isolated else {
          rollback()
          return .eventFailed
        }
        do {
          try db.cached("ROLLBACK TO event").run()
          try db.cached("RELEASE event").run()
        } catch {
          rollback()
          return .done(failAll(events.count, error))
        }
        results.append(.failure(EventStoreError(error)))
      }
    }
    do {
      // Every event this batch inserted has its tags indexed (Schema.version3).
      if highestRowID > 0 { try db.cached(Schema.advanceMarkSQL).run([.integer(highestRowID)]) }
      try db.cached("COMMIT").run()
    } catch {
      rollback()
      return .done(failAll(events.count, error))
    }
    return .done(BatchResult(results: results, committed: true))
  }

  private func rollback() {
    if !db.isAutocommit { try? db.execute("ROLLBACK") }
  }

  private func failAll(_ count: Int, _ error: SQLiteError) -> BatchResult {
    BatchResult(results: Array(repeating: .failure(EventStoreError(error)), count: count), committed: false)
  }

  /// NIP-01 storage of one event inside the open transaction: its outcome, and the rowid it
  /// was stored at (`nil` unless stored).
  private func store(_ event: NostrEvent, receivedAt: Int64) throws(SQLiteError) -> (StoreOutcome, Int64?) {
    // NIP-09: an event its author deleted is accepted and not stored (EventWriter+Lifecycle).
    if try isDeleted(event) { return (.superseded, nil) }
    guard let key = event.replacementKey else {
      // The id's unique index decides: an id already stored is ignored (one search of the
      // index, not a lookup and then the insert's own).
      guard let row = try insert(event, receivedAt: receivedAt, orIgnore: true) else { return (.duplicate, nil) }
      if event.isDeletion { try applyDeletion(event) }
      return (.stored, row)
    }
    let d = key.dTag == nil ? "" : Schema.addressD(of: event)
    if try exists(id: event.id) { return (.duplicate, nil) }
    if let holder = try addressHolder(pubkey: event.pubkey, kind: event.kind, d: d) {
      // Newest wins; on equal created_at the lowest id wins (NIP-01, as
      // NostrEvent.supersedes).
      let newer =
        event.createdAt != holder.createdAt
        ? event.createdAt > holder.createdAt
        : event.id.utf8.lexicographicallyPrecedes(holder.id.utf8)
      guard newer else { return (.superseded, nil) }
      try db.cached("DELETE FROM events WHERE id = ?").run([.text(holder.id)])
    }
    let row = try insert(event, receivedAt: receivedAt, orIgnore: false)
    try insertAddress.statement(on: db).run([
      .text(event.pubkey), .integer(Int64(event.kind)), .text(d), .text(event.id),
    ])
    return (.stored, row)
  }

  /// Inserts the event, then its `event_tags` rows, keyed by the rowid it was given: the
  /// writer is what keeps the tag index (``Schema/version3``, ``Schema/tagsByRow``). Returns
  /// the event's rowid, or `nil` when its row was not inserted (`orIgnore` and the id is
  /// stored) — read from the event's own INSERT, never from a later statement (a repeated
  /// tag's ignored row).
  private func insert(_ event: NostrEvent, receivedAt: Int64, orIgnore: Bool) throws(SQLiteError) -> Int64? {
    try (orIgnore ? insertEventOrIgnore : insertEvent).statement(on: db).run([
      .text(event.id), .text(event.pubkey), .integer(Int64(event.kind)), .text(event.content),
      .text(EventRow.tagsJSON(event.tags)), .integer(event.createdAt), .text(event.sig),
      .integer(receivedAt),
    ])
    guard db.changes > 0 else { return nil }
    let row = db.lastInsertRowID
    for tag in event.tags {
      guard let indexed = Schema.indexedRow(tag) else { continue }
      try insertTag.statement(on: db).run([
        .text(String(indexed.name)), .text(String(indexed.value)), .integer(event.createdAt), .integer(row),
      ])
    }
    try recordExpiration(event)
    return row
  }

  private func exists(id: String) throws(SQLiteError) -> Bool {
    let statement = try selectID.statement(on: db)
    defer { statement.reset() }
    try statement.bind(id, at: 1)
    return try statement.step()
  }

  private func addressHolder(pubkey: String, kind: Int, d: String) throws(SQLiteError)
    -> (id: String, createdAt: Int64)?
  {
    let statement = try selectAddressHolder.statement(on: db)
    defer { statement.reset() }
    try statement.bind([.text(pubkey), .integer(Int64(kind)), .text(d)])
    guard try statement.step() else { return nil }
    return (statement.text(0), statement.int64(1))
  }
}
