import CSQLite

/// A prepared statement (`sqlite3_stmt *`): bind by 1-based index, step, read columns by 0-based
/// index, reset. Used by the thread that owns its connection.
final class SQLiteStatement {
  private var handle: OpaquePointer?
  private let connection: OpaquePointer?
  let sql: String

  init(handle: OpaquePointer, connection: OpaquePointer?, sql: String) {
    self.handle = handle
    self.connection = connection
    self.sql = sql
  }

  deinit { finalize() }

  func finalize() {
    if let handle { sqlite3_finalize(handle) }
    handle = nil
  }

  /// `what` is built only for an error: a bind's success costs no string.
  private func check(_ rc: Int32, _ what: @autoclosure () -> String) throws(SQLiteError) {
    guard rc == SQLITE_OK else {
      throw SQLiteError(db: connection, resultCode: rc, context: "\(what()) in \(sql)")
    }
  }

  func bind(_ value: String, at index: Int32) throws(SQLiteError) {
    var value = value
    let rc = value.withUTF8 { buffer in
      guard let base = buffer.baseAddress, !buffer.isEmpty else {
        // A non-nil pointer for "", so SQLite binds an empty string, not NULL.
        return bls_sqlite3_bind_text_transient(handle, index, "", 0)
      }
      return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { chars in
        bls_sqlite3_bind_text_transient(handle, index, chars, Int32(buffer.count))
      }
    }
    try check(rc, "bind text #\(index)")
  }

  func bind(_ value: Int64, at index: Int32) throws(SQLiteError) {
    try check(sqlite3_bind_int64(handle, index, value), "bind integer #\(index)")
  }

  func bind(_ value: Int, at index: Int32) throws(SQLiteError) {
    try bind(Int64(value), at: index)
  }

  /// Binds `values` in order from parameter 1.
  func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
    for (offset, value) in values.enumerated() {
      let index = Int32(offset + 1)
      switch value {
      case .integer(let number): try bind(number, at: index)
      case .text(let text): try bind(text, at: index)
      }
    }
  }

  /// Advances: `true` when a row is available, `false` when done.
  func step() throws(SQLiteError) -> Bool {
    let rc = sqlite3_step(handle)
    switch rc {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default:
      let error = SQLiteError(db: connection, resultCode: rc, context: "step \(sql)")
      sqlite3_reset(handle)
      throw error
    }
  }

  /// Resets for the next execution and clears bindings.
  func reset() {
    sqlite3_reset(handle)
    sqlite3_clear_bindings(handle)
  }

  /// Binds, steps to completion, resets; returns nothing.
  func run(_ values: [SQLiteValue] = []) throws(SQLiteError) {
    defer { reset() }
    try bind(values)
    while try step() {}
  }

  func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

  func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

  func text(_ column: Int32) -> String {
    guard let bytes = sqlite3_column_text(handle, column) else { return "" }
    let count = Int(sqlite3_column_bytes(handle, column))
    return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
  }
}

/// A value bound to a statement parameter.
enum SQLiteValue: Sendable, Hashable {
  case integer(Int64)
  case text(String)
}
