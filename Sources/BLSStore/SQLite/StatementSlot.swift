/// A statement a hot path runs on every call, kept by its user: the connection's cache
/// (``SQLiteConnection/cached(_:)``) is searched by the SQL text, which costs a hash of that
/// text per call (about 1 500 instructions per statement of the writer, bench/micro under
/// callgrind). The slot asks the cache once, and again only after the cache was emptied
/// (``SQLiteConnection/cacheGeneration``), so it never holds a finalized statement.
final class StatementSlot {
  let sql: String
  private var statement: SQLiteStatement?
  private var generation = -1

  init(_ sql: String) {
    self.sql = sql
  }

  /// The prepared statement on `db` (always the same connection for one slot). Reset it
  /// after use, as any cached statement.
  func statement(on db: SQLiteConnection) throws(SQLiteError) -> SQLiteStatement {
    if let statement, generation == db.cacheGeneration { return statement }
    let fresh = try db.cached(sql)
    statement = fresh
    generation = db.cacheGeneration
    return fresh
  }
}
