import CPostgres
import Glibc
import JSON
import Nostr
import Synchronization
import Threads

/// The ``Nostr/EventStore`` for several BLS nodes sharing one PostgreSQL database
/// (`DATABASE_URL`; docs/contract.md § Storage).
///
/// - Layout: the reference's `events` columns, an exact tag index and an address table
///   (``PGSchema``), versioned in `bls_schema` and migrated at open under an advisory lock.
/// - Durability: one writer connection per store with `synchronous_commit = on` commits every
///   event waiting at that moment in one transaction (group commit); ``store(_:completion:)``
///   completes only after its COMMIT returned.
/// - NIP-01 across nodes: replaceable and addressable events are serialized on their address
///   row, duplicates by id on the primary key (``PGEventWriter``).
/// - Faults: a lost connection fails its batch (`unavailable`) and is reopened with backoff;
///   ``isAvailable`` is `false` meanwhile. Reads use their own connections.
/// - Lifecycle (issue 14, as the SQLite store): NIP-09 deletions applied in the transaction
///   that stores them and refused afterwards (``isDeleted(_:)``), on every node at once; NIP-40
///   expirations deleted by a sweep on each node's writer (``Options/expirationSweepSeconds``).
public final class PostgresEventStore: EventStore, @unchecked Sendable {
  /// Tuning knobs; the defaults suit the server.
  public struct Options: Sendable {
    /// Most events committed in one transaction.
    public var maxBatchSize: Int
    /// Idle read connections kept open.
    public var maxIdleReaders: Int
    /// `application_name` of the store's connections (seen in `pg_stat_activity`).
    public var applicationName: String
    /// How often the server is pinged while the writer may be idle (``isAvailable``); `0`
    /// turns the probe off.
    public var probeIntervalMilliseconds: Int
    /// `BLS_EXPIRATION_SWEEP_SECONDS`: seconds between two passes of the NIP-40 sweep, which
    /// deletes expired events on the writer thread (at least 1).
    public var expirationSweepSeconds: Int
    /// The time, in Unix seconds, the sweep compares expirations with (injectable for tests).
    public var clock: @Sendable () -> Int64
    /// `BLS_COMMIT_DELAY_US`: the writer's pause before committing a batch under load
    /// (``Nostr/CommitDelay``).
    public var commitDelay: CommitDelay = CommitDelay()

    public init(
      maxBatchSize: Int = 1024, maxIdleReaders: Int = 4, applicationName: String = "bls",
      probeIntervalMilliseconds: Int = 1000, expirationSweepSeconds: Int = 60,
      clock: @escaping @Sendable () -> Int64 = { Int64(time(nil)) }
    ) {
      self.maxBatchSize = maxBatchSize
      self.maxIdleReaders = maxIdleReaders
      self.applicationName = applicationName
      self.probeIntervalMilliseconds = probeIntervalMilliseconds
      self.expirationSweepSeconds = expirationSweepSeconds
      self.clock = clock
    }
  }

  /// `postgresql://host:port/db` — never the user or password.
  public let storageDescription: String
  /// The schema version the database had when opened (`0` for a new database).
  public let openedSchemaVersion: Int

  let committer: PGGroupCommitter
  private let readers: PGReaderPool
  private let probe: PGProbe?
  private let closed = Mutex(false)

  /// Connects to `url` (a libpq URI, `postgres://` or `postgresql://`, any libpq parameter
  /// allowed), migrates the schema and starts the writer.
  ///
  /// Fails closed: a malformed URL, an unreachable server, missing privileges or a schema from
  /// a newer release throws ``PostgresOpenError``, whose `description` is the one line to print
  /// before exiting 1 (it never holds the password).
  public init(url: String, options: Options = Options()) throws(PostgresOpenError) {
    try Self.validate(url: url)
    let name = options.applicationName
    let connect: @Sendable () throws(PGError) -> PGConnection = { () throws(PGError) in
      try PGConnection.connect(url: url, applicationName: name)
    }
    let writer: PGConnection
    do {
      writer = try connect()
    } catch {
      throw Self.connectFailure(url: url, error)
    }
    storageDescription = writer.safeDescription
    do {
      openedSchemaVersion = try PGMigrator.migrate(writer).fromVersion
    } catch {
      writer.close()
      throw error
    }
    // A user who may migrate may still lack the rights to write.
    do {
      try writer.query("SELECT 1 FROM \(Self.tables) LIMIT 0", [])
      try writer.execute("BEGIN; LOCK TABLE \(Self.tables) IN ROW EXCLUSIVE MODE; ROLLBACK")
    } catch {
      _ = try? writer.execute("ROLLBACK")
      writer.close()
      throw PostgresOpenError(error, doing: "checking write access to \(Self.tables)")
    }
    committer = PGGroupCommitter(
      connection: writer, maxBatch: options.maxBatchSize, sweepIntervalSeconds: options.expirationSweepSeconds,
      commitDelay: options.commitDelay, clock: options.clock, connect: connect)
    readers = PGReaderPool(maxIdle: options.maxIdleReaders, connect: connect)
    probe =
      options.probeIntervalMilliseconds > 0
      ? PGProbe(url: url, intervalMilliseconds: options.probeIntervalMilliseconds) : nil
  }

  deinit { close() }

  /// Every table the writer writes.
  static let tables = "events, event_tags, event_addresses, event_expirations, event_deletions, address_deletions"

  /// A URL BLS accepts: `postgres://` or `postgresql://`, parsed by libpq
  /// (`PQconninfoParse`), with its user and password where libpq reads them
  /// (``PGURL/misreadsCredentials(_:)``). The error never repeats the URL, which may hold a
  /// password.
  public static func validate(url: String) throws(PostgresOpenError) {
    guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
      throw PostgresOpenError(
        code: "invalid_url", message: "must be a libpq URI starting with postgres:// or postgresql://")
    }
    guard !PGURL.misreadsCredentials(url) else {
      throw PostgresOpenError(
        code: "invalid_url",
        message:
          "holds an @ or / in its user or password, or after its host, that is not percent-encoded: write @ as %40 and / as %2F"
      )
    }
    guard PGURL.parameters(url) != nil else {
      throw PostgresOpenError(
        code: "invalid_url",
        message: "is not a valid libpq connection URI (see PostgreSQL § 34.1.1.2 \"Connection URIs\")")
    }
  }

  /// `postgresql://host:port/db` from the URL's own parameters, for messages before a
  /// connection exists (never the user or password).
  static func describe(url: String) -> String {
    guard let values = PGURL.parameters(url) else { return "postgresql://" }
    let host = values["host"] ?? values["hostaddr"] ?? "localhost"
    let port = values["port"] ?? "5432"
    return "postgresql://\(host.hasPrefix("/") ? "[\(host)]" : host):\(port)/\(values["dbname"] ?? "")"
  }

  /// The open error for a failed first connection: where (``describe(url:)``) and libpq's
  /// reason, with the URL's user and password taken out of it — the server's own messages
  /// name the user (`password authentication failed for user "bls"`, `role "bls" does not
  /// exist`), and the line goes to logs.
  static func connectFailure(url: String, _ error: PGError) -> PostgresOpenError {
    var reason = error.message
    let values = PGURL.parameters(url) ?? [:]
    if let user = values["user"], !user.isEmpty {
      reason = reason.replacing("\"\(user)\"", with: "(the URL's user)")
    }
    if let password = values["password"], !password.isEmpty {
      reason = reason.replacing(password, with: "(the password)")
    }
    return PostgresOpenError(code: "unreachable", message: "cannot connect to \(describe(url: url)): \(reason)")
  }

  // MARK: EventStore

  /// Queues `event` and returns at once; `completion` runs on the writer thread once its
  /// transaction committed (or failed).
  public func store(_ event: NostrEvent, completion: @escaping StoreCompletion) {
    committer.submit(event, conditions: .always, completion: completion)
  }

  /// Queues `event`; the writer drops it, unstored, if `conditions` no longer hold when it
  /// takes the event into a batch.
  public func store(_ event: NostrEvent, conditions: StoreConditions, completion: @escaping StoreCompletion) {
    committer.submit(event, conditions: conditions, completion: completion)
  }

  public func event(id: String) throws(EventStoreError) -> NostrEvent? {
    guard !id.utf8.contains(0) else { return nil }
    return try read("SELECT \(PGFilterQuery.columns) FROM events WHERE id = $1", [id], prepared: true).first
  }

  public func query(_ filters: [NostrFilter]) throws(EventStoreError) -> [NostrEvent] {
    guard let query = PGFilterQuery(filters) else { return [] }
    return try read(query.sql, query.arguments, prepared: false)
  }

  /// NIP-09 (``Nostr/EventStore/isDeleted(_:)``), on a read connection: one statement, two
  /// primary-key searches of `event_deletions` and `address_deletions`. It reads the database
  /// every time: another node may have stored the deletion.
  public func isDeleted(_ event: NostrEvent) throws(EventStoreError) -> Bool {
    try readers.withConnection { db throws(PGError) in try PGEventWriter.isDeleted(event, on: db) }
  }

  /// `false` while the writer has no connection to the database (it is reconnecting), or the
  /// probe's last ping found no server (``Options/probeIntervalMilliseconds``).
  public var isAvailable: Bool { committer.isAvailable && probe?.reachable != false }

  // MARK: Operations

  /// What the writer has done since open.
  public var statistics: PGWriterStatistics { committer.statistics }

  /// Runs the NIP-40 expiration sweep now, on the writer thread between batches, until no
  /// expired event is left (that another node's sweep is not deleting at the same moment);
  /// returns how many it deleted. The server never needs this (the sweep runs every
  /// ``Options/expirationSweepSeconds``); tools and tests do.
  public func deleteExpiredEvents() throws(EventStoreError) -> Int {
    let answer = BlockingQueue<Result<Int, EventStoreError>>()
    committer.sweepNow { answer.push($0) }
    return try answer.pop()!.get()
  }

  /// The writer connection's server process id (`pg_backend_pid()`), for operators and tests.
  public var writerBackendPID: Int32 { committer.backendPID }

  /// Graceful shutdown: stops accepting events (later stores fail with `closed`), commits
  /// everything already queued and closes every connection. Idempotent.
  public func close() {
    let first = closed.withLock { closed in
      defer { closed = true }
      return !closed
    }
    guard first else { return }
    probe?.shutdown()
    committer.shutdown()
    readers.close()
  }

  private func read(_ sql: String, _ arguments: [String], prepared: Bool) throws(EventStoreError) -> [NostrEvent] {
    let rows = try readers.withConnection { db throws(PGError) in
      prepared ? try db.run(prepared: sql, arguments) : try db.query(sql, arguments)
    }
    var events: [NostrEvent] = []
    events.reserveCapacity(rows.rows.count)
    for row in rows.rows { events.append(try Self.decode(row)) }
    return events
  }

  /// An event from a row of ``PGFilterQuery/columns``.
  static func decode(_ row: [String?]) throws(EventStoreError) -> NostrEvent {
    let id = row[0] ?? ""
    guard row.count == 8, let pubkey = row[1], let createdAt = row[2].flatMap({ Int64($0) }),
      let kind = row[3].flatMap({ Int($0) }), let tagsText = row[4], var content = row[5], let sig = row[6]
    else {
      throw EventStoreError(code: "corrupt", message: "event \(id): a column is NULL or not a number")
    }
    if let json = row[7] {
      // The exact content of an event whose content holds U+0000 (PGSchema).
      guard let exact = (try? JSONValue.parse(json))?.stringValue else {
        throw EventStoreError(code: "corrupt", message: "event \(id): content_json is not a JSON string")
      }
      content = exact
    }
    return NostrEvent(
      id: id, pubkey: pubkey, createdAt: createdAt, kind: kind,
      tags: try NostrEvent.storedTags(fromJSON: tagsText, eventID: id),
      content: content, sig: sig)
  }
}
