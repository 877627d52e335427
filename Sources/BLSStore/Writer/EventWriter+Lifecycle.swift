import Nostr

/// NIP-40 expirations on the writer connection (``Schema/lifecycle``).
extension EventWriter {
  /// Records the NIP-40 expiration of an event just inserted, inside the batch's transaction.
  /// An event without one, or with a malformed one (which the payment path refused), gets no
  /// row: it never expires.
  func recordExpiration(_ event: NostrEvent) throws(SQLiteError) {
    guard case .at(let time) = event.expiration else { return }
    try db.cached("INSERT OR REPLACE INTO event_expirations (event_id, expires_at) VALUES (?, ?)").run([
      .text(event.id), .integer(time),
    ])
  }

  /// One sweep pass: deletes, in one transaction of its own, at most `limit` events whose
  /// expiration is at or before `now` (Unix seconds), oldest expiration first, found through
  /// the `event_expirations(expires_at)` index. Returns how many were due (a full `limit`
  /// means more may be waiting).
  func deleteExpired(now: Int64, limit: Int) -> Result<Int, EventStoreError> {
    do throws(SQLiteError) {
      try db.cached("BEGIN IMMEDIATE").run()
      let ids = try dueExpirations(now: now, limit: limit)
      for id in ids {
        try db.cached("DELETE FROM events WHERE id = ?").run([.text(id)])
        // The trigger has removed the row with its event; this removes a row left without one.
        try db.cached("DELETE FROM event_expirations WHERE event_id = ?").run([.text(id)])
      }
      try db.cached("COMMIT").run()
      return .success(ids.count)
    } catch {
      if !db.isAutocommit { try? db.execute("ROLLBACK") }
      return .failure(EventStoreError(error))
    }
  }

  /// The ids of at most `limit` events expired at `now`, oldest expiration first.
  private func dueExpirations(now: Int64, limit: Int) throws(SQLiteError) -> [String] {
    let due = try db.cached(Schema.dueExpirationsSQL)
    defer { due.reset() }
    try due.bind([.integer(now), .integer(Int64(limit))])
    var ids: [String] = []
    while try due.step() { ids.append(due.text(0)) }
    return ids
  }
}
