import Nostr

/// The data step of ``PGSchema/lifecycle`` (version 2), in the migration's transaction: the
/// events already stored get what the writer gives new ones — an `event_expirations` row for a
/// NIP-40 expiration, and each stored kind-5 deletion (before, a plain event) recorded and
/// applied — with the writer's own code (``PGEventWriter``), so both agree by construction.
///
/// Memory is bounded whatever the table holds: candidates are read a keyset page at a time
/// (as ``PostgresEventExporter`` reads), at most ``pageSize`` rows and, past a page's first
/// row, at most ``pageBytes`` of tags, and each page's deletions are applied before the next
/// page is read. (Applying them early is safe: an event a deletion removes is not read again
/// by a later page — each statement sees the transaction's own deletions — and one read
/// before takes its expiration row with it.)
enum PGLifecycleBackfill {
  /// Most rows read per round trip.
  static let pageSize = 1000
  /// Most bytes of `tags` in one page, past its first row.
  static let pageBytes = 4 << 20

  /// The candidates, by id after `$1`: kind 5, or tags that may hold an `expiration` (the
  /// word, or a JSON `\u` escape that could spell it); at most `$2` rows, and every row whose
  /// preceding rows of the page hold fewer than `$3` bytes of tags (`octet_length` reads a
  /// TOASTed value's size without fetching it).
  static let pageSQL = """
    SELECT id, pubkey, kind, created_at, tags FROM (
      SELECT *, sum(octet_length(tags)) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING) - octet_length(tags) AS before
      FROM (
        SELECT id, pubkey, kind, created_at, tags FROM events
        WHERE id > $1 AND (kind = 5 OR strpos(tags, 'expiration') > 0 OR strpos(tags, '\\u') > 0)
        ORDER BY id LIMIT $2::integer
      ) AS page
    ) AS sized
    WHERE before < $3::bigint ORDER BY id
    """

  static func run(on db: PGConnection) throws(PGError) {
    var after = ""
    while true {
      let page = try db.query(pageSQL, [after, String(pageSize), String(pageBytes)]).rows
      // A page cut short by the byte bound is not the last one; only an empty page is.
      guard !page.isEmpty else { return }
      var deletions: [NostrEvent] = []
      for row in page {
        guard let id = row[0] else { continue }
        after = id
        guard let pubkey = row[1], let kind = row[2].flatMap({ Int($0) }),
          let createdAt = row[3].flatMap({ Int64($0) }), let text = row[4]
        else { continue }
        // Tags another program wrote malformed are skipped, as the SQLite migration does.
        guard let tags = try? NostrEvent.storedTags(fromJSON: text, eventID: id) else { continue }
        let event = NostrEvent(
          id: id, pubkey: pubkey, createdAt: createdAt, kind: kind, tags: tags, content: "", sig: "")
        if let time = PGEventWriter.expiresAt(event) {
          try db.query(
            "INSERT INTO event_expirations (event_id, expires_at) VALUES ($1, $2::bigint) ON CONFLICT DO NOTHING",
            [id, String(time)])
        }
        if event.isDeletion { deletions.append(event) }
      }
      // After the page's expirations: a deleted event's row goes with it.
      for deletion in deletions { try PGEventWriter.applyDeletion(deletion, on: db) }
    }
  }
}
