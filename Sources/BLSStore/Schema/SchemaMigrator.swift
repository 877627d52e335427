/// Brings a database to ``Schema/currentVersion`` with forward migrations.
enum SchemaMigrator {
  /// What was found and done, for the startup log.
  struct Report: Sendable, Equatable {
    var fromVersion: Int64
    var toVersion: Int64
    /// The file had the reference's `events` table and no version: it was written by the
    /// TypeScript BLS.
    var adoptedReferenceFile: Bool
    /// Events another program inserted while BLS was stopped, whose tags were indexed now.
    var reindexedEvents: Int64 = 0
    /// Of those, replaceable or addressable events deleted because a newer one holds their
    /// address (NIP-01), or that displaced an older holder.
    var supersededEvents: Int64 = 0
  }

  /// A file this release must not touch.
  enum Refusal: Error, Equatable {
    /// `user_version` is beyond what this release knows.
    case newerSchema(Int64)
    /// A SQLite file that holds other tables but no `events`.
    case foreignDatabase(tables: [String])
    /// `events` exists without the reference's columns.
    case incompatibleEventsTable(missing: [String])
  }

  enum Failure: Error {
    case refused(Refusal)
    case sqlite(SQLiteError)
  }

  /// Migrates `db` in one `BEGIN IMMEDIATE` transaction per step. A reference file takes the
  /// fast path (``adopt(_:progress:)``, one transaction) unless `stepwise` (tests compare both);
  /// `progress` hears how it goes.
  static func migrate(
    _ db: SQLiteConnection, progress: MigrationProgressHandler? = nil, stepwise: Bool = false
  ) throws(Failure) -> Report {
    do {
      let start = try db.integer("PRAGMA user_version") ?? 0
      guard start <= Schema.currentVersion else { throw Failure.refused(.newerSchema(start)) }
      var adopted = false
      if start == 0 { adopted = try checkVersionZero(db) }
      var version = start
      if adopted && !stepwise {
        try adopt(db, progress: progress)
        version = Schema.adoptedVersion
      }
      if version < Schema.currentVersion {
        try runMigrations(db, from: version, progress: progress)
        version = Schema.currentVersion
      }
      var report = Report(fromVersion: start, toVersion: version, adoptedReferenceFile: adopted)
      (report.reindexedEvents, report.supersededEvents) = try reindex(db, progress: progress)
      return report
    } catch let error as Failure {
      throw error
    } catch let error as SQLiteError {
      throw .sqlite(error)
    } catch {
      throw .sqlite(SQLiteError(resultCode: 1, message: "\(error)"))
    }
  }

  /// Runs ``Schema/migrations`` from `start` on, each in one `BEGIN IMMEDIATE` transaction
  /// with its `user_version` bump. On a file that holds events, each is reported as a step
  /// (``Schema/migrationTitles``), with a heartbeat while it runs: a step may rebuild a table
  /// (``Schema/tagsByRow``), and `run` waits for a migrating responder only while it reports.
  private static func runMigrations(
    _ db: SQLiteConnection, from start: Int64, progress: MigrationProgressHandler?
  ) throws {
    var monitor: MigrationMonitor?
    // Counted only for a listener, and reported only for a file that holds events.
    if let progress,
      try !db.texts("SELECT name FROM sqlite_schema WHERE type = 'table' AND name = 'events'").isEmpty,
      let rows = try db.integer("SELECT count(*) FROM events"), rows > 0
    {
      monitor = MigrationMonitor(
        db: db, rowsTotal: rows, stepCount: Int(Schema.currentVersion - start), handler: progress)
    }
    monitor?.install()
    defer { monitor?.uninstall() }
    for version in start..<Schema.currentVersion {
      monitor?.begin(step: Schema.migrationTitles[Int(version)], number: Int(version - start) + 1)
      try db.execute("BEGIN IMMEDIATE")
      do {
        try db.execute(Schema.migrations[Int(version)])
        try db.execute("PRAGMA user_version = \(version + 1)")
        try db.execute("COMMIT")
      } catch {
        if !db.isAutocommit { try? db.execute("ROLLBACK") }
        throw error
      }
    }
    monitor?.finish()
  }

  /// Catches up with events inserted since the writer last recorded its mark (another
  /// program's, while BLS was stopped): one event per replaceable address
  /// (``Schema/reconcileAddressesSQL``), then their tags (``Schema/reindexSQL``). Returns
  /// how many events there were and how many were deleted as superseded.
  private static func reindex(
    _ db: SQLiteConnection, progress: MigrationProgressHandler?
  ) throws -> (events: Int64, superseded: Int64) {
    let pending =
      try db.integer(
        """
        SELECT count(*) FROM events
          WHERE rowid > \(Schema.markSQL)
        """) ?? 0
    guard pending > 0 else { return (0, 0) }
    // A heartbeat while it runs (many rows, e.g. after a rollback to the reference BLS).
    let monitor = progress.map { MigrationMonitor(db: db, rowsTotal: pending, stepCount: 1, handler: $0) }
    monitor?.install()
    defer { monitor?.uninstall() }
    monitor?.begin(step: "indexing events another program added", number: 1)
    try db.execute("BEGIN IMMEDIATE")
    do {
      try db.execute(Schema.reconcileAddressesSQL)
      let superseded = try db.integer("SELECT count(*) FROM temp.bls_addressed WHERE rank > 1") ?? 0
      try db.execute("DROP TABLE temp.bls_addressed")
      try db.execute(Schema.lifecycleReindexSQL)
      try db.execute(Schema.reindexSQL)
      try db.execute("COMMIT")
      monitor?.finish()
      return (pending, superseded)
    } catch {
      if !db.isAutocommit { try? db.execute("ROLLBACK") }
      try? db.execute("DROP TABLE IF EXISTS temp.bls_addressed")
      throw error
    }
  }

  /// At version 0 the file is empty, or the reference's, or someone else's. Returns `true`
  /// for a reference file.
  private static func checkVersionZero(_ db: SQLiteConnection) throws -> Bool {
    let tables = try db.texts(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    guard tables.contains("events") else {
      if tables.isEmpty { return false }
      throw Failure.refused(.foreignDatabase(tables: tables.sorted()))
    }
    let columns = Set(try db.texts("SELECT name FROM pragma_table_info('events')"))
    let missing = Schema.eventsColumns.subtracting(columns).sorted()
    guard missing.isEmpty else { throw Failure.refused(.incompatibleEventsTable(missing: missing)) }
    return true
  }
}
