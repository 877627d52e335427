import Nostr

/// The SQL for a list of NIP-01 filters, as the SQLite store builds it (BLSStore's
/// `FilterQuery`): each filter a conjunction over indexed columns and the exact tag index, the
/// filters OR-ed, newest first (`created_at DESC`, then `id ASC` in byte order), at most
/// `limit` per filter (NIP-01: the limit applies to each filter's initial query).
struct PGFilterQuery: Equatable {
  let sql: String
  let arguments: [String]

  /// The columns read back, in this order (``PostgresEventStore`` decodes them).
  static let columns = "id, pubkey, created_at, kind, tags, content, sig, content_json"

  /// `nil` when no event can match (no filters, or every filter has an empty list or
  /// `limit` ≤ 0).
  init?(_ filters: [NostrFilter]) {
    var arguments: [String] = []
    var parts: [String] = []
    for filter in filters {
      if let clause = Self.part(filter, &arguments) { parts.append(clause) }
    }
    guard !parts.isEmpty else { return nil }
    if parts.count == 1 {
      sql = "SELECT \(Self.columns) FROM events\(parts[0])"
    } else {
      let union = parts.map { "(SELECT id FROM events\($0))" }.joined(separator: " UNION ")
      sql = "SELECT \(Self.columns) FROM events WHERE id IN (\(union)) ORDER BY created_at DESC, id ASC"
    }
    self.arguments = arguments
  }

  /// `WHERE … ORDER BY … LIMIT …` for one filter (its arguments appended), or `nil` if it
  /// matches nothing; on `nil`, `arguments` is left as it was.
  private static func part(_ filter: NostrFilter, _ allArguments: inout [String]) -> String? {
    var arguments = allArguments
    var conditions: [String] = []

    func parameter(_ value: String) -> String {
      arguments.append(value)
      return "$\(arguments.count)"
    }
    func list(_ values: [String]) -> String {
      values.map(parameter).joined(separator: ", ")
    }

    if let ids = filter.ids {
      guard !ids.isEmpty, ids.allSatisfy(Self.storable) else { return nil }
      conditions.append("id IN (\(list(ids)))")
    }
    if let authors = filter.authors {
      guard !authors.isEmpty, authors.allSatisfy(Self.storable) else { return nil }
      conditions.append("pubkey IN (\(list(authors)))")
    }
    if let kinds = filter.kinds {
      guard !kinds.isEmpty else { return nil }
      conditions.append("kind IN (\(kinds.map { "\($0)" }.joined(separator: ", ")))")
    }
    if let since = filter.since { conditions.append("created_at >= \(since)") }
    if let until = filter.until { conditions.append("created_at <= \(until)") }
    for (key, values) in filter.tags.sorted(by: { $0.key < $1.key }) {
      guard !values.isEmpty else { return nil }
      let name = key.hasPrefix("#") ? String(key.dropFirst()) : key
      let views = values.map { String(PGSchema.view($0)) }
      if name.utf8.count == 1, let letter = name.utf8.first, PGSchema.isLetter(letter) {
        var subquery = """
          SELECT event_id FROM event_tags WHERE name = \(parameter(name)) \
          AND md5(value) IN (\(views.map { "md5(\(parameter($0)))" }.joined(separator: ", "))) \
          AND value IN (\(list(views)))
          """
        if let since = filter.since { subquery += " AND created_at >= \(since)" }
        if let until = filter.until { subquery += " AND created_at <= \(until)" }
        conditions.append("id IN (\(subquery))")
      } else {
        // NIP-01 filters name single letters only; any other name is still matched exactly,
        // by reading the event's tags (json, not jsonb, which refuses \u0000).
        guard Self.storable(name) else { return nil }
        conditions.append(
          """
          EXISTS (SELECT 1 FROM json_array_elements(events.tags::json) AS t \
          WHERE json_typeof(t) = 'array' AND json_typeof(t -> 0) = 'string' AND json_typeof(t -> 1) = 'string' \
          AND t ->> 0 = \(parameter(name)) AND t ->> 1 IN (\(list(views))))
          """)
      }
    }
    var clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
    clause += " ORDER BY created_at DESC, id ASC"
    if let limit = filter.limit {
      guard limit > 0 else { return nil }
      clause += " LIMIT \(limit)"
    }
    allArguments = arguments
    return clause
  }

  /// A value that can be sent as a text parameter (no U+0000; no stored id, pubkey or tag
  /// name holds one, so a filter value with one matches nothing).
  private static func storable(_ text: String) -> Bool { !text.utf8.contains(0) }
}
