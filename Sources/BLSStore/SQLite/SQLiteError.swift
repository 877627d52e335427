import CSQLite

/// A failed SQLite call: SQLite's extended result code and its message.
///
/// The store turns these into ``EventStoreError`` codes (`disk_full`, `io`, `corrupt`, …) with
/// ``eventStoreCode``; the result code is kept so callers can tell a full disk from a broken file.
struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Extended result code (`SQLITE_IOERR_FSYNC`, …); `primaryCode` drops the extension.
  let resultCode: Int32
  /// SQLite's own words (`sqlite3_errmsg`), e.g. "database or disk is full".
  let detail: String
  /// What was attempted (an SQL text, "open <path>").
  let context: String

  init(resultCode: Int32, message: String) {
    self.resultCode = resultCode
    self.detail = message
    self.context = ""
  }

  /// Reads the current error of `db` (`sqlite3_extended_errcode`, `sqlite3_errmsg`).
  init(db: OpaquePointer?, resultCode: Int32, context: String) {
    let text =
      db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
      ?? String(cString: sqlite3_errstr(resultCode))
    let extended = db.map { sqlite3_extended_errcode($0) } ?? resultCode
    self.resultCode = (extended & 0xFF) == (resultCode & 0xFF) ? extended : resultCode
    self.detail = text
    self.context = context
  }

  /// `context: detail`, on one line.
  var message: String {
    let line = context.split(whereSeparator: \.isNewline).map { $0.drop(while: { $0 == " " }) }
      .joined(separator: " ")
    return line.isEmpty ? detail : "\(line): \(detail)"
  }

  /// The primary result code (`SQLITE_FULL`, `SQLITE_IOERR`, …).
  var primaryCode: Int32 { resultCode & 0xFF }

  /// The stable code of the ``EventStoreError`` this failure becomes.
  var eventStoreCode: String {
    switch primaryCode {
    case SQLITE_FULL: "disk_full"
    case SQLITE_IOERR: "io"
    case SQLITE_CORRUPT: "corrupt"
    case SQLITE_NOTADB: "not_a_database"
    case SQLITE_READONLY, SQLITE_PERM: "readonly"
    case SQLITE_CANTOPEN: "cantopen"
    case SQLITE_BUSY, SQLITE_LOCKED: "busy"
    case SQLITE_NOMEM: "nomem"
    case SQLITE_CONSTRAINT: "constraint"
    default: "sqlite"
    }
  }

  /// A failure that concerns the whole database (disk, file, memory), not one event: the
  /// transaction it happened in cannot be trusted and must be rolled back.
  var isFatalToTransaction: Bool {
    switch primaryCode {
    case SQLITE_FULL, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_NOMEM, SQLITE_READONLY,
      SQLITE_CANTOPEN, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_PERM, SQLITE_INTERRUPT, SQLITE_ABORT:
      true
    default: false
    }
  }

  var description: String {
    "\(message) (SQLite result code \(resultCode), \(String(cString: sqlite3_errstr(resultCode))))"
  }
}
