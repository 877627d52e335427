import JSON
import Nostr

/// Applies batches of events through the writer connection, one transaction per batch
/// (READ COMMITTED), with NIP-01's rules holding across every node writing the database.
///
/// - Regular events: `INSERT … ON CONFLICT (id) DO NOTHING` — an id stored by this or another
///   node is a ``Nostr/StoreOutcome/duplicate``; a concurrent insert of the same id waits for
///   the other transaction and then sees its row.
/// - Replaceable and addressable events: the address row is claimed first with
///   `INSERT … ON CONFLICT … DO UPDATE` on `event_addresses`, which inserts it or locks the
///   existing row (PostgreSQL § "INSERT", ON CONFLICT: atomic under concurrency). Holding that
///   row lock, the holder is read in a new statement (READ COMMITTED takes a fresh snapshot, so
///   it sees what the previous lock holder committed) and the newest event wins (ties: lowest
///   id). Two nodes racing for one address are serialized on its row: exactly one winner.
/// - Lock order: a batch's events are applied sorted by their address (replaceable) or id
///   (regular), so two nodes' batches take row locks in the same order and cannot deadlock
///   each other; a deadlock or serialization failure anyway retries the batch.
/// - One bad event (a value PostgreSQL refuses): the batch is rolled back and run again with a
///   SAVEPOINT per event, so only that event fails.
/// - NIP-09 across nodes (``PGSchema/deletionLockKey``): every batch first takes one
///   transaction-scoped advisory lock, shared — so batches of several nodes run side by side —
///   or, when the batch holds a kind-5 deletion, exclusive. A deletion and an event it names
///   are therefore never in two open transactions at once: whichever commits second sees the
///   other (READ COMMITTED, a statement after the lock), so a target stored on one node while
///   another applies its deletion is either deleted or refused, never left. A batch holding
///   the exclusive lock keeps its events in arrival order (nobody else writes meanwhile, so no
///   lock order is needed), as the SQLite writer does.
final class PGEventWriter {
  /// The fate of one batch.
  struct BatchResult {
    /// One result per event, in order.
    var results: [Result<StoreOutcome, EventStoreError>]
    /// `false` when the transaction was rolled back and every event failed.
    var committed: Bool
    /// `true` when the connection is gone and must be replaced.
    var connectionLost: Bool
    /// `true` when the connection was found lost at BEGIN: nothing of the batch reached the
    /// server, so it may run again on a new connection.
    var lostBeforeBegin = false
  }

  /// Times a batch is retried after a deadlock or serialization failure.
  static let conflictRetries = 3

  /// Stores `events` through `connection` in one transaction and returns one result per event,
  /// in order. Results are final only once this returns: with `synchronous_commit = on` the
  /// COMMIT has flushed the WAL by then. A failed COMMIT (a lost connection) fails every event,
  /// though the server may have committed it: nothing is acknowledged that is not known to be
  /// durable, and a retried event is then a duplicate.
  static func apply(_ events: [NostrEvent], receivedAt: Int64, on connection: PGConnection) -> BatchResult {
    var results = [Result<StoreOutcome, EventStoreError>?](repeating: nil, count: events.count)
    // Events PostgreSQL cannot hold are refused before the transaction.
    var order: [(key: String, index: Int)] = []
    for (index, event) in events.enumerated() {
      if let refusal = refusal(event) {
        results[index] = .failure(refusal)
      } else {
        order.append((lockKey(event), index))
      }
    }
    let exclusive = order.contains { events[$0.index].isDeletion }
    if !exclusive {
      order.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) || ($0.key == $1.key && $0.index < $1.index) }
    }
    let batch = order.map { (index: $0.index, event: events[$0.index]) }
    guard !batch.isEmpty else {
      return BatchResult(results: results.map { $0! }, committed: true, connectionLost: false)
    }
    var outcome = Attempt.retry(PGError(sqlState: nil, message: "not attempted", connectionLost: false))
    for isolated in [false, true] {
      for _ in 0...conflictRetries {
        outcome = attempt(batch, receivedAt: receivedAt, isolated: isolated, exclusive: exclusive, on: connection)
        guard case .retry = outcome else { break }
      }
      if case .eventFailed = outcome { continue }
      break
    }
    switch outcome {
    case .done(let done):
      for (slot, result) in zip(batch, done) { results[slot.index] = result }
      return BatchResult(results: results.map { $0! }, committed: true, connectionLost: false)
    case .notStarted(let error):
      for slot in batch { results[slot.index] = .failure(EventStoreError(error)) }
      return BatchResult(
        results: results.map { $0! }, committed: false, connectionLost: error.connectionLost,
        lostBeforeBegin: error.connectionLost)
    case .failed(let error), .retry(let error):
      for slot in batch { results[slot.index] = .failure(EventStoreError(error)) }
      return BatchResult(results: results.map { $0! }, committed: false, connectionLost: error.connectionLost)
    case .eventFailed(let error):
      // Unreachable: an isolated attempt handles event failures itself.
      for slot in batch { results[slot.index] = .failure(EventStoreError(error)) }
      return BatchResult(results: results.map { $0! }, committed: false, connectionLost: false)
    }
  }

  private enum Attempt {
    case done([Result<StoreOutcome, EventStoreError>])
    /// BEGIN failed: no statement of the batch ran.
    case notStarted(PGError)
    /// The transaction was rolled back; `error` fails the whole batch.
    case failed(PGError)
    /// A deadlock or serialization failure rolled the transaction back; run it again.
    case retry(PGError)
    /// A non-isolated attempt met an event PostgreSQL refused; nothing was written.
    case eventFailed(PGError)
  }

  private static func attempt(
    _ batch: [(index: Int, event: NostrEvent)], receivedAt: Int64, isolated: Bool, exclusive: Bool,
    on db: PGConnection
  ) -> Attempt {
    do {
      try db.run(prepared: "BEGIN ISOLATION LEVEL READ COMMITTED", [])
    } catch {
      return .notStarted(error)
    }
    do {
      try db.run(prepared: exclusive ? exclusiveLockSQL : sharedLockSQL, [])
    } catch {
      rollback(db)
      return error.isRetryable ? .retry(error) : .failed(error)
    }
    var results: [Result<StoreOutcome, EventStoreError>] = []
    results.reserveCapacity(batch.count)
    for (_, event) in batch {
      do {
        if isolated { try db.run(prepared: "SAVEPOINT event", []) }
        results.append(.success(try store(event, receivedAt: receivedAt, on: db)))
        if isolated { try db.run(prepared: "RELEASE SAVEPOINT event", []) }
      } catch {
        guard error.isEventFailure else {
          rollback(db)
          return error.isRetryable ? .retry(error) : .failed(error)
        }
        guard isolated else {
          rollback(db)
          return .eventFailed(error)
        }
        do {
          try db.run(prepared: "ROLLBACK TO SAVEPOINT event", [])
        } catch {
          rollback(db)
          return .failed(error)
        }
        results.append(.failure(EventStoreError(error)))
      }
    }
    do {
      try db.run(prepared: "COMMIT", [])
    } catch {
      rollback(db)
      return error.isRetryable ? .retry(error) : .failed(error)
    }
    return .done(results)
  }

  private static func rollback(_ db: PGConnection) {
    if db.isHealthy { _ = try? db.execute("ROLLBACK") }
  }

  /// Why PostgreSQL cannot store `event` as given, or `nil`: `text` cannot hold U+0000, and
  /// `id`, `pubkey` and `sig` are stored as they are (tags are JSON, where U+0000 is escaped,
  /// and content is stored through ``contentColumns(_:)``). The server's checks make this
  /// unreachable (they are lowercase hex); a refused event fails alone with
  /// `unsupported_content`, before the transaction.
  static func refusal(_ event: NostrEvent) -> EventStoreError? {
    for field in [event.id, event.pubkey, event.sig] where field.utf8.contains(0) {
      return EventStoreError(
        code: "unsupported_content",
        message:
          "event \(event.id.prefix(64)): PostgreSQL text cannot hold U+0000, and the event has one outside its tags")
    }
    return nil
  }

  /// The order a batch takes its row locks in: addresses, then ids.
  static func lockKey(_ event: NostrEvent) -> String {
    guard event.kindClass.isReplaceable else { return "i:\(event.id)" }
    return "a:\(event.pubkey):\(event.kind):\(addressHash(event))"
  }

  /// The `d_sha256` of an event's address: lowercase hex SHA-256 of its `d` (``PGSchema``).
  static func addressHash(_ event: NostrEvent) -> String {
    SHA256.hexHash(Array(PGSchema.addressD(of: event).utf8))
  }

  // MARK: One event

  static let sharedLockSQL = "SELECT pg_advisory_xact_lock_shared(\(PGSchema.deletionLockKey))"
  static let exclusiveLockSQL = "SELECT pg_advisory_xact_lock(\(PGSchema.deletionLockKey))"

  /// Inserts an event, its `event_tags` rows and its NIP-40 `event_expirations` row (`$12`,
  /// `NULL` for none) in one statement — unless its author deleted its id (NIP-09; never for a
  /// kind 5). Returns how many events were inserted and whether it was deleted.
  static let insertEventSQL = """
    WITH d AS (
      SELECT $3::integer <> 5 AND EXISTS (SELECT 1 FROM event_deletions WHERE event_id = $1 AND pubkey = $2) AS deleted
    ), e AS (
      INSERT INTO events (id, pubkey, kind, content, tags, created_at, sig, received_at, content_json)
      SELECT $1, $2, $3::integer, $4, $5, $6::bigint, $7, $8::bigint, $11 FROM d WHERE NOT d.deleted
      ON CONFLICT (id) DO NOTHING
      RETURNING id, created_at
    ), t AS (
      INSERT INTO event_tags (name, value, created_at, event_id)
      SELECT n, v, e.created_at, e.id FROM e, unnest($9::text[], $10::text[]) AS tag(n, v)
    ), x AS (
      INSERT INTO event_expirations (event_id, expires_at)
      SELECT e.id, $12::bigint FROM e WHERE $12::bigint IS NOT NULL
    )
    SELECT (SELECT count(*) FROM e), (SELECT deleted FROM d)
    """

  static let claimAddressSQL = """
    INSERT INTO event_addresses (pubkey, kind, d_sha256, d, event_id)
    VALUES ($1, $2::integer, $3, $4, $5)
    ON CONFLICT (pubkey, kind, d_sha256) DO UPDATE SET event_id = event_addresses.event_id
    RETURNING event_id, (xmax = 0) AS inserted
    """

  static let holderSQL = "SELECT created_at FROM events WHERE id = $1"

  static let replaceSQL = """
    WITH moved AS (
      UPDATE event_addresses SET event_id = $1 WHERE pubkey = $2 AND kind = $3::integer AND d_sha256 = $4
    )
    DELETE FROM events WHERE id = $5
    """

  /// NIP-01 storage of one event inside the open transaction.
  private static func store(_ event: NostrEvent, receivedAt: Int64, on db: PGConnection) throws(PGError)
    -> StoreOutcome
  {
    guard event.kindClass.isReplaceable else {
      switch try insert(event, receivedAt: receivedAt, on: db) {
      case .inserted:
        if event.isDeletion { try applyDeletion(event, on: db) }
        return .stored
      case .duplicate: return .duplicate
      case .deleted: return .superseded
      }
    }
    // NIP-09: a version its author deleted is accepted and not stored (PGEventWriter+Lifecycle).
    if try isDeleted(event, on: db) { return .superseded }
    let hash = addressHash(event)
    let claim = try db.run(
      prepared: claimAddressSQL,
      [event.pubkey, String(event.kind), hash, PGSchema.addressD(of: event), event.id])
    guard let row = claim.rows.first, let holder = row[0] else {
      throw PGError(sqlState: nil, message: "claiming an address returned no row", connectionLost: false)
    }
    if row[1] == "t" {
      // A new address, now ours. (An id already stored elsewhere is a duplicate; the address
      // row then names it, which is where it belongs.)
      return try insert(event, receivedAt: receivedAt, on: db) == .inserted ? .stored : .duplicate
    }
    // The address row is locked by this transaction; this statement's snapshot sees what its
    // previous holder committed. (A holder may be gone — expired, or deleted by its author —
    // leaving the row naming it: the address is then free.)
    let held = try db.run(prepared: holderSQL, [holder]).rows.first?[0].flatMap { Int64($0) }
    if holder.utf8.elementsEqual(event.id.utf8) {
      guard held == nil else { return .duplicate }
      return try insert(event, receivedAt: receivedAt, on: db) == .inserted ? .stored : .duplicate
    }
    if let createdAt = held {
      let newer =
        event.createdAt != createdAt
        ? event.createdAt > createdAt
        : event.id.utf8.lexicographicallyPrecedes(holder.utf8)
      guard newer else { return .superseded }
    }
    guard try insert(event, receivedAt: receivedAt, on: db) == .inserted else { return .duplicate }
    try db.run(prepared: replaceSQL, [event.id, event.pubkey, String(event.kind), hash, holder])
    return .stored
  }

  /// What ``insert(_:receivedAt:on:)`` did.
  enum Insertion {
    case inserted
    /// The id is already stored.
    case duplicate
    /// Its author deleted this id (NIP-09): not stored.
    case deleted
  }

  /// Inserts the event, its `event_tags` rows and its expiration in one statement
  /// (``insertEventSQL``).
  private static func insert(_ event: NostrEvent, receivedAt: Int64, on db: PGConnection) throws(PGError)
    -> Insertion
  {
    var names: [Substring] = []
    var values: [Substring] = []
    var seen = Set<[Substring]>()
    for tag in event.tags {
      guard let row = PGSchema.indexedRow(tag), seen.insert([row.name, row.value]).inserted else { continue }
      names.append(row.name)
      values.append(row.value)
    }
    let content = contentColumns(event.content)
    let rows = try db.run(
      prepared: insertEventSQL,
      [
        event.id, event.pubkey, String(event.kind), content.text, tagsJSON(event.tags), String(event.createdAt),
        event.sig, String(receivedAt), PGArray.literal(names), PGArray.literal(values), content.json,
        expiresAt(event).map { String($0) },
      ])
    if rows.rows.first?[0] == "1" { return .inserted }
    return rows.rows.first?[1] == "t" ? .deleted : .duplicate
  }

  /// The `content` and `content_json` columns of a content (``PGSchema``): the text itself
  /// and `NULL`, or, when it holds U+0000, the text with U+FFFD for each U+0000 and the exact
  /// content as a JSON string.
  static func contentColumns(_ content: String) -> (text: String, json: String?) {
    guard content.utf8.contains(0) else { return (content, nil) }
    var text = ""
    text.unicodeScalars.append(contentsOf: content.unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 })
    return (text, JSONValue.string(content).serialized)
  }

  /// The `tags` column: the tag array as compact JSON, as the reference and the SQLite store
  /// write it (U+0000 escaped as `\u0000`).
  static func tagsJSON(_ tags: [[String]]) -> String { NostrEvent.tagsJSON(tags) }
}

extension EventStoreError {
  /// The store's error for a failed PostgreSQL call.
  init(_ error: PGError) {
    self.init(code: error.eventStoreCode, message: error.description)
  }
}
