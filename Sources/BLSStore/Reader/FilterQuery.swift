import Nostr

/// The SQL for a list of NIP-01 filters: each filter becomes a conjunction over indexed
/// columns (`id`, `pubkey`, `kind`, `created_at`) and the exact tag index (`event_tags`); the
/// filters are OR-ed; results are newest first (`created_at DESC`, then `id ASC`), at most
/// `limit` per filter (NIP-01: limit applies to each filter's initial query).
struct FilterQuery: Equatable {
  let sql: String
  let arguments: [SQLiteValue]

  /// `nil` when no event can match (no filters, or every filter has an empty list or
  /// `limit` ≤ 0) — the same rules as `NostrFilter.matches` and `select(from:)`.
  init?(_ filters: [NostrFilter]) {
    let parts = filters.compactMap(Self.part)
    guard !parts.isEmpty else { return nil }
    let columns = EventRow.selectColumns
    if parts.count == 1 {
      sql = "SELECT \(columns) FROM events\(parts[0].clause)"
      arguments = parts[0].arguments
    } else {
      let union = parts.map { "SELECT id FROM (SELECT id FROM events\($0.clause))" }
        .joined(separator: " UNION ")
      sql = "SELECT \(columns) FROM events WHERE id IN (\(union)) ORDER BY created_at DESC, id ASC"
      arguments = parts.flatMap(\.arguments)
    }
  }

  /// `WHERE … ORDER BY … LIMIT …` for one filter, or `nil` if it matches nothing.
  private static func part(_ filter: NostrFilter) -> (clause: String, arguments: [SQLiteValue])? {
    var conditions: [String] = []
    var arguments: [SQLiteValue] = []

    func list(_ column: String, _ values: [SQLiteValue]) {
      conditions.append("\(column) IN (\(placeholders(values.count)))")
      arguments += values
    }

    if let ids = filter.ids {
      guard !ids.isEmpty else { return nil }
      list("id", ids.map { .text($0) })
    }
    if let authors = filter.authors {
      guard !authors.isEmpty else { return nil }
      list("pubkey", authors.map { .text($0) })
    }
    if let kinds = filter.kinds {
      guard !kinds.isEmpty else { return nil }
      list("kind", kinds.map { .integer(Int64($0)) })
    }
    if let since = filter.since {
      conditions.append("created_at >= ?")
      arguments.append(.integer(since))
    }
    if let until = filter.until {
      conditions.append("created_at <= ?")
      arguments.append(.integer(until))
    }
    for (key, values) in filter.tags.sorted(by: { $0.key < $1.key }) {
      guard !values.isEmpty else { return nil }
      let name = key.hasPrefix("#") ? String(key.dropFirst()) : key
      guard isIndexedTagName(name) else {
        // NIP-01 defines filters on single-letter tags only, and only those are indexed. Any
        // other name is still matched exactly (never LIKE), by reading the event's tags.
        conditions.append(
          """
          EXISTS (SELECT 1 FROM json_each(events.tags) AS t WHERE t.type = 'array' \
          AND (CASE WHEN t.type = 'array' THEN json_type(t.value, '$[1]') END) = 'text' \
          AND (CASE WHEN t.type = 'array' THEN json_extract(t.value, '$[0]') END) = ? \
          AND (CASE WHEN t.type = 'array' THEN json_extract(t.value, '$[1]') END) \
          IN (\(placeholders(values.count))))
          """)
        arguments.append(.text(name))
        arguments += values.map { .text(String(Schema.sqliteView($0))) }
        continue
      }
      // The row's created_at must be the event's too: a tag row another program's
      // trigger-bypassing delete left behind names a row number that may have been reused.
      var subquery =
        "SELECT event_rowid, created_at FROM event_tags WHERE name = ? AND value IN (\(placeholders(values.count)))"
      arguments.append(.text(name))
      arguments += values.map { .text(String(Schema.sqliteView($0))) }
      // created_at is part of the tag index key: narrow the tag scan too.
      if let since = filter.since {
        subquery += " AND created_at >= ?"
        arguments.append(.integer(since))
      }
      if let until = filter.until {
        subquery += " AND created_at <= ?"
        arguments.append(.integer(until))
      }
      conditions.append("(events.rowid, events.created_at) IN (\(subquery))")
    }
    var clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
    clause += " ORDER BY created_at DESC, id ASC"
    if let limit = filter.limit {
      guard limit > 0 else { return nil }
      clause += " LIMIT ?"
      arguments.append(.integer(Int64(limit)))
    }
    return (clause, arguments)
  }

  /// `true` for the tag names NIP-01 filters use and `event_tags` indexes: one ASCII letter.
  static func isIndexedTagName(_ name: String) -> Bool {
    guard name.utf8.count == 1, let byte = name.utf8.first else { return false }
    return (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
      || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
  }

  private static func placeholders(_ count: Int) -> String {
    Array(repeating: "?", count: count).joined(separator: ", ")
  }
}
