import CSQLite

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Opening an existing database file for an operator's command that only reads it while BLS
/// may be serving: a connection that never creates the file and never migrates it.
public enum DatabaseFile {
  /// `$dataDirectory/events.db`.
  public static func path(inDataDirectory directory: String) -> String {
    DataDirectory.path(in: directory)
  }

  /// A connection to the existing file at `path`, for reading. Read-write at the SQLite level
  /// (no CREATE) so that it can join a WAL whose `-shm` does not exist yet; nothing is written.
  static func openForReading(_ path: String, busyTimeout: Int32 = 5000) throws(OperationError) -> SQLiteConnection {
    guard access(path, F_OK) == 0 else {
      throw OperationError(
        code: "database_missing",
        message: "\(path) does not exist; fix: set DATA_DIR to the directory that holds events.db")
    }
    let db: SQLiteConnection
    do {
      db = try SQLiteConnection.open(path: path, flags: SQLITE_OPEN_READWRITE)
    } catch {
      throw OperationError(error, "cannot open \(path)")
    }
    db.setBusyTimeout(milliseconds: busyTimeout)
    _ = bls_sqlite3_db_config_int(db.handle, SQLITE_DBCONFIG_DEFENSIVE, 1)
    return db
  }

  /// Starts a read transaction on `db` and reads from it, so that everything after sees one
  /// snapshot: in WAL mode, every transaction committed before this call and none after. The
  /// writer is never blocked by it (WAL readers do not block writers).
  static func beginSnapshot(_ db: SQLiteConnection) throws(OperationError) {
    do {
      try db.execute("BEGIN")
      _ = try db.integer("SELECT count(*) FROM sqlite_schema")
    } catch {
      throw OperationError(error, "cannot read \(db.path)")
    }
  }
}
