import Nostr

/// NIP-40 expirations and NIP-09 deletions in PostgreSQL (``PGSchema/lifecycle``), with the
/// SQLite writer's rules (BLSStore's `EventWriter+Lifecycle`).
extension PGEventWriter {
  /// Both NIP-09 searches in one statement, each on a primary key: the id deleted by this
  /// author (`$1`, `$2`), or — for a replaceable or addressable event, `$3` not `NULL` — its
  /// address deleted through a `created_at` not older than `$5`.
  static let isDeletedSQL = """
    SELECT EXISTS (SELECT 1 FROM event_deletions WHERE event_id = $1 AND pubkey = $2)
      OR coalesce(EXISTS (
        SELECT 1 FROM address_deletions
        WHERE pubkey = $2 AND kind = $3::integer AND d_sha256 = $4 AND deleted_through >= $5::bigint), false)
    """

  /// NIP-09 (``Nostr/EventStore/isDeleted(_:)``) on any connection: `true` when `event`'s
  /// author deleted its id, or its address through a `created_at` not older than its own.
  /// `false` for a deletion (kind 5 is never deleted) and for an event PostgreSQL could not
  /// hold (``refusal(_:)``), which no deletion can name.
  static func isDeleted(_ event: NostrEvent, on db: PGConnection) throws(PGError) -> Bool {
    guard !event.isDeletion, refusal(event) == nil else { return false }
    let replaceable = event.kindClass.isReplaceable
    let rows = try db.run(
      prepared: isDeletedSQL,
      [
        event.id, event.pubkey, replaceable ? String(event.kind) : nil, replaceable ? addressHash(event) : nil,
        String(event.createdAt),
      ])
    return rows.rows.first?[0] == "t"
  }

  static let deleteIDsSQL = """
    WITH recorded AS (
      INSERT INTO event_deletions (event_id, pubkey, deletion_id)
      SELECT id, $2, $3 FROM unnest($4::text[]) AS id
      ON CONFLICT (event_id, pubkey) DO NOTHING
    )
    DELETE FROM events WHERE id = ANY($1::text[]) AND pubkey = $2 AND kind <> 5
    """

  static let deleteAddressSQL = """
    WITH recorded AS (
      INSERT INTO address_deletions (pubkey, kind, d_sha256, d, deleted_through, deletion_id)
      VALUES ($1, $2::integer, $3, $4, $5::bigint, $6)
      ON CONFLICT (pubkey, kind, d_sha256) DO UPDATE SET
        deletion_id = CASE WHEN excluded.deleted_through > address_deletions.deleted_through
          THEN excluded.deletion_id ELSE address_deletions.deletion_id END,
        deleted_through = greatest(address_deletions.deleted_through, excluded.deleted_through)
    )
    DELETE FROM events WHERE created_at <= $5::bigint AND id = (
      SELECT event_id FROM event_addresses WHERE pubkey = $1 AND kind = $2::integer AND d_sha256 = $3)
    """

  /// NIP-09, inside the transaction that stored the deletion `event` (kind 5): records what it
  /// names and deletes it — each `e` id only if the stored event has the deletion's pubkey and
  /// is not itself a deletion; each own `a` address's holder if it is not newer than the
  /// deletion (an older deletion never lowers an address's mark).
  ///
  /// An `e` value holding U+0000 names no event PostgreSQL holds and is skipped; one longer
  /// than ``PGSchema/maxDeletedIDBytes`` is applied but not recorded.
  static func applyDeletion(_ event: NostrEvent, on db: PGConnection) throws(PGError) {
    var seen = Set<String>()
    let ids = event.deletedIDs.filter { !$0.utf8.contains(0) && seen.insert($0).inserted }
    if !ids.isEmpty {
      let recorded = ids.filter { $0.utf8.count <= PGSchema.maxDeletedIDBytes }
      try db.run(
        prepared: deleteIDsSQL,
        [
          PGArray.literal(ids.map { $0[...] }), event.pubkey, event.id, PGArray.literal(recorded.map { $0[...] }),
        ])
    }
    var addresses = Set<String>()
    for address in event.deletedAddresses {
      // The address as `event_addresses` keys it (PGSchema.addressD(of:)).
      let d = String(PGSchema.view(address.d))
      let hash = SHA256.hexHash(Array(d.utf8))
      guard addresses.insert("\(address.kind):\(hash)").inserted else { continue }
      try db.run(
        prepared: deleteAddressSQL,
        [event.pubkey, String(address.kind), hash, d, String(event.createdAt), event.id])
    }
  }

  /// The `expires_at` an event's NIP-40 tag gives it, or `nil`: an event without one, or
  /// with a malformed one (which the payment path refused), never expires.
  static func expiresAt(_ event: NostrEvent) -> Int64? {
    guard case .at(let time) = event.expiration else { return nil }
    return time
  }

  /// One sweep pass in one statement (its own transaction): at most `$2` events whose
  /// expiration is at or before `$1`, earliest first, found through `event_expirations_due`.
  /// Rows another node's sweep (or a batch) has locked are skipped, not waited for, so sweeps
  /// on several nodes share the work and never block each other or a batch.
  static let sweepSQL = """
    WITH due AS (
      SELECT e.id FROM event_expirations AS x JOIN events AS e ON e.id = x.event_id
      WHERE x.expires_at <= $1::bigint ORDER BY x.expires_at LIMIT $2::integer
      FOR UPDATE OF e SKIP LOCKED
    ), gone AS (
      DELETE FROM events WHERE id IN (SELECT id FROM due) RETURNING 1
    )
    SELECT count(*) FROM gone
    """

  /// One pass of the NIP-40 sweep on `db` (outside any transaction): deletes at most `limit`
  /// events expired at `now` (Unix seconds); their tag and expiration rows go with them.
  /// Returns how many it deleted (a full `limit` means more may be waiting).
  static func deleteExpired(now: Int64, limit: Int, on db: PGConnection) throws(PGError) -> Int {
    let rows = try db.run(prepared: sweepSQL, [String(now), String(limit)])
    return Int(rows.rows.first?[0] ?? "0") ?? 0
  }
}
