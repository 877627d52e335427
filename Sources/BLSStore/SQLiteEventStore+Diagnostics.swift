import Nostr

extension SQLiteEventStore {
  /// The `EXPLAIN QUERY PLAN` detail lines of the SQL `query(filters)` runs (tests and
  /// diagnostics: shows which index each filter uses).
  func queryPlan(_ filters: [NostrFilter]) throws(EventStoreError) -> [String] {
    guard let query = FilterQuery(filters) else { return [] }
    return try readers.withConnection { db throws(EventStoreError) in
      do throws(SQLiteError) {
        let statement = try db.prepare("EXPLAIN QUERY PLAN " + query.sql)
        defer { statement.finalize() }
        try statement.bind(query.arguments)
        var lines: [String] = []
        while try statement.step() { lines.append(statement.text(3)) }
        return lines
      } catch {
        throw EventStoreError(error)
      }
    }
  }
}
