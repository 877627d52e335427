import CPostgres

/// The rows of a statement's result, copied out of libpq (text format), and how many rows a
/// command touched.
struct PGRows {
  /// `rows[r][c]`: the text of column `c` of row `r`, `nil` for SQL NULL.
  let rows: [[String?]]
  /// `PQcmdTuples`: rows inserted, updated or deleted (0 for other commands).
  let affected: Int

  init(_ result: OpaquePointer) {
    let count = Int(PQntuples(result))
    let columns = Int(PQnfields(result))
    var rows: [[String?]] = []
    rows.reserveCapacity(count)
    for row in 0..<count {
      var values: [String?] = []
      values.reserveCapacity(columns)
      for column in 0..<columns {
        if PQgetisnull(result, Int32(row), Int32(column)) != 0 {
          values.append(nil)
        } else {
          values.append(String(cString: PQgetvalue(result, Int32(row), Int32(column))))
        }
      }
      rows.append(values)
    }
    self.rows = rows
    affected = Int(String(cString: PQcmdTuples(result))) ?? 0
  }
}
