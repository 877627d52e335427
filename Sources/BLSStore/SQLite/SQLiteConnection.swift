import CSQLite

/// One SQLite connection (`sqlite3 *`), used by one thread at a time.
///
/// Connections are opened with `SQLITE_OPEN_NOMUTEX` (SQLite's "multi-thread" mode): SQLite takes
/// no per-connection mutex, because the store already guarantees that a connection is used by
/// exactly one thread at a time (the writer thread owns the writer connection; reader
/// connections are checked out of a pool). This needs a library built thread-safe
/// (`sqlite3_threadsafe() != 0`), which ``open(path:flags:)`` checks.
final class SQLiteConnection: @unchecked Sendable {
  private(set) var handle: OpaquePointer?
  /// The path given to `sqlite3_open_v2`, for messages.
  let path: String
  private var cache: [String: SQLiteStatement] = [:]
  /// Counts the times ``cached(_:)``'s statements were finalized (the cache emptied, the
  /// connection closed): a ``StatementSlot`` holding one from an earlier count fetches anew.
  private(set) var cacheGeneration = 0

  private init(handle: OpaquePointer, path: String) {
    self.handle = handle
    self.path = path
  }

  /// Opens `path` with `flags` (`SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE`, …) plus
  /// `SQLITE_OPEN_NOMUTEX`, with extended result codes on; `walBuffered`: through
  /// the VFS that writes a commit's log frames in one call (`walbuffer.h`; the caller keeps
  /// the connection at `synchronous=FULL`).
  static func open(path: String, flags: Int32, walBuffered: Bool = false) throws(SQLiteError) -> SQLiteConnection {
    guard sqlite3_threadsafe() != 0 else {
      throw SQLiteError(
        resultCode: SQLITE_MISUSE,
        message: "libsqlite3 was built with SQLITE_THREADSAFE=0; the store needs a thread-safe build")
    }
    _ = configured
    var db: OpaquePointer?
    let rc =
      walBuffered && walBufferRegistered
      ? bls_sqlite3_open_wal_buffered(path, &db, flags | SQLITE_OPEN_NOMUTEX)
      : sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
    guard rc == SQLITE_OK, let db else {
      let error = SQLiteError(db: db, resultCode: rc, context: "open \(path)")
      sqlite3_close_v2(db)
      throw error
    }
    sqlite3_extended_result_codes(db, 1)
    return SQLiteConnection(handle: db, path: path)
  }

  /// Process-wide settings, applied once before the first connection opens: no memory
  /// statistics (SQLITE_CONFIG_MEMSTATUS), which would otherwise take a global mutex on every
  /// allocation of every connection (nothing here reads them).
  private static let configured: Bool = bls_sqlite3_config_memstatus(0) == SQLITE_OK

  /// Whether the log-gathering VFS is registered (once, after ``configured``); if SQLite
  /// refused it, the writer opens through the default VFS.
  static let walBufferRegistered: Bool = {
    _ = configured
    return bls_sqlite3_register_wal_buffer() == SQLITE_OK
  }()

  deinit { close() }

  /// Finalizes cached statements and closes the connection (`sqlite3_close_v2`).
  func close() {
    for statement in cache.values { statement.finalize() }
    cache.removeAll()
    cacheGeneration += 1
    if let handle { sqlite3_close_v2(handle) }
    handle = nil
  }

  /// Runs one or more SQL statements that return no rows of interest (`sqlite3_exec`).
  func execute(_ sql: String) throws(SQLiteError) {
    let rc = sqlite3_exec(handle, sql, nil, nil, nil)
    guard rc == SQLITE_OK else { throw SQLiteError(db: handle, resultCode: rc, context: sql) }
  }

  /// A statement prepared once (`SQLITE_PREPARE_PERSISTENT`) and kept for the connection's life.
  /// Callers must ``SQLiteStatement/reset()`` it after use (``SQLiteStatement/run()`` and the
  /// query helpers do).
  func cached(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
    if let statement = cache[sql] { return statement }
    let statement = try prepare(sql, persistent: true)
    if cache.count >= 256 {
      // Filter shapes are unbounded in principle; keep the cache bounded.
      for statement in cache.values { statement.finalize() }
      cache.removeAll()
      cacheGeneration += 1
    }
    cache[sql] = statement
    return statement
  }

  /// Prepares one statement (`sqlite3_prepare_v3`).
  func prepare(_ sql: String, persistent: Bool = false) throws(SQLiteError) -> SQLiteStatement {
    var statement: OpaquePointer?
    let flags: UInt32 = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
    let rc = sqlite3_prepare_v3(handle, sql, -1, flags, &statement, nil)
    guard rc == SQLITE_OK, let statement else {
      throw SQLiteError(db: handle, resultCode: rc == SQLITE_OK ? SQLITE_MISUSE : rc, context: sql)
    }
    return SQLiteStatement(handle: statement, connection: handle, sql: sql)
  }

  /// Waits up to `milliseconds` for a lock held by another connection (`sqlite3_busy_timeout`).
  func setBusyTimeout(milliseconds: Int32) {
    sqlite3_busy_timeout(handle, milliseconds)
  }

  /// Rows changed by the last INSERT/UPDATE/DELETE (`sqlite3_changes`).
  var changes: Int { Int(sqlite3_changes(handle)) }

  /// The rowid of the last row inserted into a rowid table (`sqlite3_last_insert_rowid`).
  var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

  /// `false` while a transaction is open (`sqlite3_get_autocommit`).
  var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

  /// An integer-valued PRAGMA or one-cell query, e.g. `PRAGMA user_version`.
  func integer(_ sql: String) throws(SQLiteError) -> Int64? {
    let statement = try prepare(sql)
    defer { statement.finalize() }
    guard try statement.step() else { return nil }
    return statement.isNull(0) ? nil : statement.int64(0)
  }

  /// A text-valued PRAGMA or one-column query, all rows.
  func texts(_ sql: String) throws(SQLiteError) -> [String] {
    let statement = try prepare(sql)
    defer { statement.finalize() }
    var rows: [String] = []
    while try statement.step() { rows.append(statement.text(0)) }
    return rows
  }
}
