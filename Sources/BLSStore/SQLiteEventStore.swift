import CSQLite
import Glibc
import Nostr
import Synchronization
import Threads

/// The durable ``EventStore``: SQLite at `$DATA_DIR/events.db` (docs/contract.md, Storage).
///
/// - Layout: the reference's `events` table column for column, plus an exact tag index and an
///   address table (``Schema``), versioned with `PRAGMA user_version`; a reference-written
///   file is migrated on open.
/// - Durability: WAL with `synchronous=FULL`; ``store(_:completion:)`` completes only after
///   the transaction holding the event has been synced to disk, so an accept never outlives
///   a crash.
/// - Throughput: one writer thread commits every event waiting at that moment in one
///   transaction (group commit), so concurrent callers share one fsync.
/// - Concurrency: any number of threads may call any method; reads use their own connections
///   and never wait for the writer.
public final class SQLiteEventStore: EventStore, @unchecked Sendable {
  /// Tuning knobs; the defaults suit the server.
  public struct Options: Sendable {
    /// Most events committed in one transaction. `1` gives one commit (one fsync) per event,
    /// the baseline the benchmark compares against.
    public var maxBatchSize: Int
    /// How long a connection waits for a lock held by another process (e.g. an operator's
    /// `sqlite3` shell) before failing with `busy`.
    public var busyTimeoutMilliseconds: Int32
    /// Idle read connections kept open.
    public var maxIdleReaders: Int
    /// WAL pages after which a background checkpoint copies the log into the database file
    /// (``Checkpointer``); SQLite's default interval.
    public var checkpointPages: Int32
    /// Told how a long schema migration at open is going (adopting a reference file); `nil`
    /// for none. (Added for docs/operations.md, Migration.)
    public var migrationProgress: MigrationProgressHandler? = nil
    /// `BLS_EXPIRATION_SWEEP_SECONDS`: seconds between two passes of the NIP-40 sweep, which
    /// deletes expired events on the writer thread (at least 1).
    public var expirationSweepSeconds: Int
    /// The time, in Unix seconds, the sweep compares expirations with (injectable for tests).
    public var clock: @Sendable () -> Int64
    /// `BLS_COMMIT_DELAY_US`: the writer's pause before committing a batch under load
    /// (``Nostr/CommitDelay``).
    public var commitDelay: CommitDelay = CommitDelay()

    public init(
      maxBatchSize: Int = 1024, busyTimeoutMilliseconds: Int32 = 5000, maxIdleReaders: Int = 8,
      checkpointPages: Int32 = 1000, expirationSweepSeconds: Int = 60,
      clock: @escaping @Sendable () -> Int64 = { Int64(time(nil)) }
    ) {
      self.maxBatchSize = maxBatchSize
      self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
      self.maxIdleReaders = maxIdleReaders
      self.checkpointPages = checkpointPages
      self.expirationSweepSeconds = expirationSweepSeconds
      self.clock = clock
    }
  }

  /// The `DATA_DIR` value that asks for a volatile in-memory store.
  public static let memoryDirectory = ":memory:"

  /// `"sqlite:<path>"`, or `"memory"` for a volatile store.
  public let storageDescription: String
  /// The database file, or `nil` for a volatile store.
  public let databasePath: String?
  /// A warning the server must log at start (set for a volatile store), else `nil`.
  public let warning: String?
  /// The schema version the file had when opened (`0` for a new or reference-written file).
  public let openedSchemaVersion: Int64
  /// `true` when the file was written by the reference (TypeScript) BLS and was migrated.
  public let migratedReferenceFile: Bool
  /// Events another program added while BLS was stopped, whose tags were indexed at open.
  public let reindexedEvents: Int64
  /// Replaceable or addressable events deleted at open because a newer one holds their
  /// address (NIP-01): older versions another program kept, or the holder it displaced.
  public let supersededAtOpen: Int64

  let committer: GroupCommitter
  /// Checkpoints the WAL in the background (a database file only).
  private let checkpointer: Checkpointer?
  let readers: ReaderPool
  let writerConnection: SQLiteConnection
  /// This process's claim on the file (``DatabaseLock``); `nil` in memory.
  private let lock: DatabaseLock?
  private let closed = Mutex(false)
  /// Whether any NIP-09 deletion is recorded or queued: until one is, ``isDeleted(_:)`` has
  /// nothing to look up and answers without touching the database (one process owns the file
  /// while it runs, so only this store's writer adds deletions).
  private let deletionsRecorded = Atomic<Bool>(false)

  /// Opens the store for `DATA_DIR`: `$dataDirectory/events.db`, created if absent and
  /// migrated to the current schema, or a volatile in-memory store for
  /// ``memoryDirectory`` (`":memory:"`).
  ///
  /// Fails closed (docs/contract.md, Storage): a missing or unwritable directory, an unwritable,
  /// corrupt or non-SQLite `events.db`, or a schema from a newer release throws
  /// ``StoreOpenError``, whose `description` is the one line to print before exiting 1.
  public convenience init(dataDirectory: String, options: Options = Options()) throws(StoreOpenError) {
    if dataDirectory == Self.memoryDirectory {
      try self.init(databasePath: nil, options: options)
    } else {
      try DataDirectory.check(dataDirectory)
      try self.init(databasePath: DataDirectory.path(in: dataDirectory), options: options, checkingFiles: true)
    }
  }

  /// Opens the database file at `databasePath` directly (no `DATA_DIR` checks), or an
  /// in-memory database for `nil`.
  ///
  /// A file is locked first (``DatabaseLock``): one open store per database file, in any
  /// process, until ``close()``; another one is refused with `database_in_use`.
  public convenience init(databasePath: String?, options: Options = Options()) throws(StoreOpenError) {
    try self.init(databasePath: databasePath, options: options, checkingFiles: false)
  }

  /// `checkingFiles`: once the file is locked, check that `events.db`, `-wal` and `-shm` are
  /// writable where they exist (``DataDirectory/checkFiles(_:)``).
  init(databasePath: String?, options: Options, checkingFiles: Bool) throws(StoreOpenError) {
    self.databasePath = databasePath
    let lock = try databasePath.map { path throws(StoreOpenError) in try DatabaseLock(databasePath: path) }
    self.lock = lock
    if checkingFiles, let databasePath { try DataDirectory.checkFiles(databasePath) }
    let writer: SQLiteConnection
    do {
      // The log's frames of a commit go to the file in one write (walbuffer.h), safe because
      // configureWriter keeps this connection at synchronous=FULL.
      writer = try SQLiteConnection.open(
        path: databasePath ?? ":memory:", flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
        walBuffered: databasePath != nil)
    } catch {
      throw Self.openError(error, path: databasePath)
    }
    do {
      try Self.configureWriter(writer, options: options, inMemory: databasePath == nil)
    } catch {
      writer.close()
      throw Self.openError(error, path: databasePath)
    }
    let report: SchemaMigrator.Report
    do {
      report = try SchemaMigrator.migrate(writer, progress: options.migrationProgress)
    } catch {
      writer.close()
      throw Self.openError(error, path: databasePath)
    }
    writerConnection = writer
    let anyDeletion = EventWriter.anyDeletionRecorded(writer)
    deletionsRecorded.store(anyDeletion, ordering: .releasing)
    openedSchemaVersion = report.fromVersion
    migratedReferenceFile = report.adoptedReferenceFile
    reindexedEvents = report.reindexedEvents
    supersededAtOpen = report.supersededEvents
    if let databasePath {
      storageDescription = "sqlite:\(databasePath)"
      warning = nil
      let timeout = options.busyTimeoutMilliseconds
      readers = ReaderPool(
        source: .open { () throws(SQLiteError) in
          try Self.openReader(path: databasePath, busyTimeout: timeout)
        }, maxIdle: options.maxIdleReaders)
      do {
        checkpointer = try Checkpointer(
          path: databasePath, writer: writer, threshold: options.checkpointPages, busyTimeout: timeout)
      } catch {
        writer.close()
        throw Self.openError(error, path: databasePath)
      }
      committer = GroupCommitter(
        writer: EventWriter(db: writer, deletionsRecorded: anyDeletion), maxBatch: options.maxBatchSize,
        connectionGuard: nil, sweepIntervalSeconds: options.expirationSweepSeconds, commitDelay: options.commitDelay,
        clock: options.clock)
    } else {
      checkpointer = nil
      storageDescription = "memory"
      warning =
        "DATA_DIR=:memory: events are kept in memory only and are LOST when the server stops; accepted payments will not be backed by stored events after a restart"
      let guardLock = Locked(())
      readers = ReaderPool(source: .shared(writer, guardLock), maxIdle: 0)
      committer = GroupCommitter(
        writer: EventWriter(db: writer, deletionsRecorded: anyDeletion), maxBatch: options.maxBatchSize,
        connectionGuard: guardLock, sweepIntervalSeconds: options.expirationSweepSeconds,
        commitDelay: options.commitDelay, clock: options.clock)
    }
  }

  deinit { close() }

  // MARK: EventStore

  /// Queues `event` and returns at once; `completion` runs on the writer thread once the
  /// outcome is durable, together with the rest of its batch, so no thread waits per event.
  /// Failures are ``EventStoreError`` (`disk_full`, `io`, `closed`, …).
  public func store(_ event: NostrEvent, completion: @escaping StoreCompletion) {
    store(event, conditions: .always, completion: completion)
  }

  /// Queues `event`; its writer drops it, unstored, if `conditions` no longer hold when it
  /// takes the event into a batch (the only window left is a batch already committing).
  public func store(_ event: NostrEvent, conditions: StoreConditions, completion: @escaping StoreCompletion) {
    if event.isDeletion { deletionsRecorded.store(true, ordering: .releasing) }
    committer.submit(event, conditions: conditions, completion: completion)
  }

  public func event(id: String) throws(EventStoreError) -> NostrEvent? {
    try readers.withConnection { db throws(EventStoreError) in
      try Self.read(db, sql: "SELECT \(EventRow.selectColumns) FROM events WHERE id = ?", [.text(id)]).first
    }
  }

  /// NIP-09 (``EventStore/isDeleted(_:)``), on a read connection: two primary-key searches
  /// of `event_deletions` and `address_deletions` at most.
  public func isDeleted(_ event: NostrEvent) throws(EventStoreError) -> Bool {
    guard deletionsRecorded.load(ordering: .acquiring) else { return false }
    return try readers.withConnection { db throws(EventStoreError) in
      do throws(SQLiteError) {
        return try EventWriter.isDeleted(event, db)
      } catch {
        throw EventStoreError(error)
      }
    }
  }

  public func query(_ filters: [NostrFilter]) throws(EventStoreError) -> [NostrEvent] {
    guard let query = FilterQuery(filters) else { return [] }
    return try readers.withConnection { db throws(EventStoreError) in
      try Self.read(db, sql: query.sql, query.arguments)
    }
  }

  // MARK: Operations

  /// Group-commit figures since open (for the benchmark, logs and `/health`).
  public var statistics: BatchStatistics {
    var statistics = committer.statistics
    if let counts = checkpointer?.counts {
      statistics.checkpoints = counts.passes
      statistics.checkpointTails = counts.tails
    }
    return statistics
  }

  /// What the NIP-40 expiration sweep has done since open.
  public var sweepStatistics: SweepStatistics { committer.sweepStatistics }

  /// Runs the NIP-40 expiration sweep now, on the writer thread between batches, until no
  /// expired event is left; returns how many it deleted. The server never needs this (the
  /// sweep runs every ``Options/expirationSweepSeconds``); tools and tests do.
  public func deleteExpiredEvents() throws(EventStoreError) -> Int {
    let answer = BlockingQueue<Result<Int, EventStoreError>>()
    committer.sweepNow { answer.push($0) }
    return try answer.pop()!.get()
  }

  /// Graceful shutdown: stops accepting events (later stores fail with `closed`),
  /// commits everything already queued, checkpoints the WAL into the database file
  /// (`PRAGMA wal_checkpoint(TRUNCATE)`) and closes every connection. Idempotent.
  public func close() {
    let first = closed.withLock { closed in
      defer { closed = true }
      return !closed
    }
    guard first else { return }
    committer.shutdown()
    checkpointer?.shutdown(writer: writerConnection)
    readers.close()
    if databasePath != nil { try? writerConnection.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
    writerConnection.close()
    lock?.release()
  }

  /// `PRAGMA integrity_check` on a read connection: `["ok"]` for a sound file.
  public func integrityCheck() throws(EventStoreError) -> [String] {
    try readers.withConnection { db throws(EventStoreError) in
      do throws(SQLiteError) {
        return try db.texts("PRAGMA integrity_check")
      } catch {
        throw EventStoreError(error)
      }
    }
  }
}
