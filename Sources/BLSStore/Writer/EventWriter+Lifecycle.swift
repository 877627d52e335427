import Nostr

/// NIP-40 expirations and NIP-09 deletions on the writer connection (``Schema/lifecycle``).
extension EventWriter {
  /// NIP-09, inside the batch's transaction: `true` when `event`'s author has deleted it
  /// (``Nostr/EventStore/isDeleted(_:)``). The payment path asked the same before pricing;
  /// asking again here covers a deletion committed in between, or earlier in this batch.
  func isDeleted(_ event: NostrEvent) throws(SQLiteError) -> Bool {
    guard deletionsRecorded else { return false }
    return try Self.isDeleted(event, db)
  }

  /// ``isDeleted(_:)`` on any connection: two primary-key searches at most.
  static func isDeleted(_ event: NostrEvent, _ db: SQLiteConnection) throws(SQLiteError) -> Bool {
    guard !event.isDeletion else { return false }
    let byID = try db.cached("SELECT 1 FROM event_deletions WHERE event_id = ? AND pubkey = ?")
    defer { byID.reset() }
    try byID.bind([.text(event.id), .text(event.pubkey)])
    if try byID.step() { return true }
    guard let key = event.replacementKey else { return false }
    let byAddress = try db.cached(
      "SELECT 1 FROM address_deletions WHERE pubkey = ? AND kind = ? AND d = ? AND deleted_through >= ?")
    defer { byAddress.reset() }
    try byAddress.bind([
      .text(event.pubkey), .integer(Int64(event.kind)), .text(key.dTag == nil ? "" : Schema.addressD(of: event)),
      .integer(event.createdAt),
    ])
    return try byAddress.step()
  }

  /// NIP-09, inside the transaction that stores the deletion `event` (kind 5): records what it
  /// names and deletes it — each `e` id only if the stored event has the deletion's pubkey and
  /// is not itself a deletion; each own `a` address's holder if it is not newer than the
  /// deletion.
  func applyDeletion(_ event: NostrEvent) throws(SQLiteError) {
    deletionsRecorded = true
    for id in event.deletedIDs {
      try db.cached("INSERT OR IGNORE INTO event_deletions (event_id, pubkey, deletion_id) VALUES (?, ?, ?)").run([
        .text(id), .text(event.pubkey), .text(event.id),
      ])
      try db.cached("DELETE FROM events WHERE id = ? AND pubkey = ? AND kind <> 5").run([
        .text(id), .text(event.pubkey),
      ])
    }
    for address in event.deletedAddresses {
      // The address as `event_addresses` keys it (Schema.addressD(of:)).
      let d = String(Schema.sqliteView(address.d))
      try db.cached(
        """
        INSERT INTO address_deletions (pubkey, kind, d, deleted_through, deletion_id) VALUES (?1, ?2, ?3, ?4, ?5)
        ON CONFLICT (pubkey, kind, d) DO UPDATE SET
          deletion_id = CASE WHEN excluded.deleted_through > deleted_through THEN excluded.deletion_id ELSE deletion_id END,
          deleted_through = max(deleted_through, excluded.deleted_through)
        """
      ).run([.text(event.pubkey), .integer(Int64(address.kind)), .text(d), .integer(event.createdAt), .text(event.id)])
      try db.cached(
        """
        DELETE FROM events WHERE created_at <= ?4 AND id = (
          SELECT event_id FROM event_addresses WHERE pubkey = ?1 AND kind = ?2 AND d = ?3)
        """
      ).run([.text(event.pubkey), .integer(Int64(address.kind)), .text(d), .integer(event.createdAt)])
    }
  }

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
      // Searched before the transaction (this connection is the only writer): a pass with
      // nothing due, the usual case, writes nothing.
      let ids = try dueExpirations(now: now, limit: limit)
      guard !ids.isEmpty else { return .success(0) }
      try db.cached("BEGIN IMMEDIATE").run()
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
