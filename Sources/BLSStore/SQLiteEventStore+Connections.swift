import CSQLite
import Glibc
import Nostr

extension SQLiteEventStore {
  /// The writer connection: WAL so readers never block it, `synchronous=FULL` so a COMMIT
  /// returns only after the WAL is synced.
  static func configureWriter(_ db: SQLiteConnection, options: Options, inMemory: Bool)
    throws(SQLiteError)
  {
    try configureCommon(db, busyTimeout: options.busyTimeoutMilliseconds)
    guard !inMemory else { return }
    // The first statement that reads the file: a non-SQLite file fails here (SQLITE_NOTADB).
    let mode = try db.texts("PRAGMA journal_mode = WAL")
    guard mode == ["wal"] else {
      throw SQLiteError(
        resultCode: SQLITE_CANTOPEN,
        message: "cannot use write-ahead logging on \(db.path) (journal_mode is \(mode.joined()))")
    }
    try db.execute("PRAGMA synchronous = FULL")
    // Statement journals (a SAVEPOINT's, when a batch is retried event by event; a
    // multi-row statement's) stay in memory instead of a temporary file created, written and
    // deleted each time (when every event had its SAVEPOINT: half the write syscalls of a
    // batch, measured with bench/micro's store benchmarks).
    try db.execute("PRAGMA temp_store = MEMORY")
    // Checkpoints run on a thread of their own (Checkpointer, which installs the WAL hook in
    // place of SQLite's automatic checkpoint), so the writer never pauses for one.
    // After a checkpoint, keep at most 64 MiB of WAL file around (more than a checkpoint
    // interval, so the file is reused, not regrown).
    try db.execute("PRAGMA journal_size_limit = 67108864")
  }

  /// A read-only connection to the same file, for one reader thread at a time.
  static func openReader(path: String, busyTimeout: Int32) throws(SQLiteError) -> SQLiteConnection {
    let db = try SQLiteConnection.open(path: path, flags: SQLITE_OPEN_READONLY)
    try configureCommon(db, busyTimeout: busyTimeout)
    return db
  }

  /// Settings for every connection: wait on locks held by other processes; refuse SQL that
  /// could corrupt the file (defensive mode). (`trusted_schema` stays on: the schema's
  /// triggers call the JSON functions, which SQLite 3.40 does not mark innocuous.)
  private static func configureCommon(_ db: SQLiteConnection, busyTimeout: Int32) throws(SQLiteError) {
    db.setBusyTimeout(milliseconds: busyTimeout)
    _ = bls_sqlite3_db_config_int(db.handle, SQLITE_DBCONFIG_DEFENSIVE, 1)
  }

  /// Runs a query selecting ``EventRow/selectColumns`` and decodes every row.
  static func read(_ db: SQLiteConnection, sql: String, _ arguments: [SQLiteValue])
    throws(EventStoreError) -> [NostrEvent]
  {
    let statement: SQLiteStatement
    do {
      statement = try db.cached(sql)
      try statement.bind(arguments)
    } catch {
      throw EventStoreError(error)
    }
    defer { statement.reset() }
    var events: [NostrEvent] = []
    while true {
      let hasRow: Bool
      do {
        hasRow = try statement.step()
      } catch {
        throw EventStoreError(error)
      }
      guard hasRow else { break }
      events.append(try EventRow.decode(statement))
    }
    return events
  }

  static func openError(_ error: SQLiteError, path: String?) -> StoreOpenError {
    openError(.sqlite(error), path: path)
  }

  /// The one-line startup error for a database that cannot be used.
  static func openError(_ failure: SchemaMigrator.Failure, path: String?) -> StoreOpenError {
    let file = path ?? ":memory:"
    switch failure {
    case .refused(.newerSchema(let version)):
      return StoreOpenError(
        code: "schema_too_new",
        message:
          "\(file) has schema version \(version), newer than this release understands (\(Schema.currentVersion)); fix: run the newer release or restore a backup"
      )
    case .refused(.foreignDatabase(let tables)):
      return StoreOpenError(
        code: "foreign_database",
        message:
          "\(file) is another application's SQLite database (tables: \(tables.joined(separator: ", "))); fix: point DATA_DIR at a directory of its own"
      )
    case .refused(.incompatibleEventsTable(let missing)):
      return StoreOpenError(
        code: "incompatible_schema",
        message:
          "\(file) has an events table without the columns \(missing.joined(separator: ", ")); fix: point DATA_DIR at a directory of its own"
      )
    case .sqlite(let error):
      let detail = error.detail
      switch error.primaryCode {
      case SQLITE_NOTADB:
        return StoreOpenError(
          code: "not_a_database",
          message:
            "\(file) is not a SQLite database (\(detail)); fix: move it away (a new one is created) or restore it from a backup"
        )
      case SQLITE_CORRUPT:
        return StoreOpenError(
          code: "corrupt",
          message:
            "\(file) is corrupt (\(detail)); fix: restore it from a backup, or salvage it with: sqlite3 \(file) .recover | sqlite3 recovered.db"
        )
      case SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN:
        return .unusable(
          file, code: "database_not_writable", problem: "cannot be opened for writing", reason: detail,
          andDirectory: true)
      default:
        return StoreOpenError(code: "sqlite", message: "\(file): \(error)")
      }
    }
  }
}
