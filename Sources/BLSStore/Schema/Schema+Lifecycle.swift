/// The layout of issue 14 (event lifecycle): NIP-40 expirations and NIP-09 deletions.
///
/// One forward step of its own (``lifecycle``, listed in ``Schema/migrations``), so that it
/// can take whatever version number follows the steps before it.
extension Schema {
  /// The lifecycle step (version 4): side tables, all `WITHOUT ROWID`, each searched by its
  /// primary key or index, never by reading tags.
  ///
  /// - `event_expirations` holds the NIP-40 `expiration` of every stored event that has one
  ///   (``Nostr/Expiration``: the first tag, decimal digits), indexed by time for the sweep,
  ///   which deletes the events whose time has come (``EventWriter/deleteExpired(now:limit:)``).
  ///   A trigger drops an event's row whenever the event is deleted, however.
  /// - `event_deletions` holds each `e` tag of each stored kind-5 deletion, with the
  ///   deletion's author: an event with that id **and** that author is deleted and may not be
  ///   stored again (NIP-09: only the author may delete).
  /// - `address_deletions` holds each `a` tag (`kind:pubkey:d`, a replaceable or addressable
  ///   kind, the deletion's own pubkey) with the latest deleting `created_at`: that address's
  ///   versions up to it are deleted and may not be stored again; newer ones may.
  /// - Existing rows are indexed as the writer would have indexed them, and the deletions
  ///   already stored (a kind 5 was a plain event before) are applied.
  static let lifecycle = """
    CREATE TABLE event_expirations (
      event_id TEXT PRIMARY KEY,
      expires_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX event_expirations_due ON event_expirations(expires_at);

    CREATE TABLE event_deletions (
      event_id TEXT NOT NULL,
      pubkey TEXT NOT NULL,
      deletion_id TEXT NOT NULL,
      PRIMARY KEY (event_id, pubkey)
    ) WITHOUT ROWID;

    CREATE TABLE address_deletions (
      pubkey TEXT NOT NULL,
      kind INTEGER NOT NULL,
      d TEXT NOT NULL,
      deleted_through INTEGER NOT NULL,
      deletion_id TEXT NOT NULL,
      PRIMARY KEY (pubkey, kind, d)
    ) WITHOUT ROWID;

    CREATE TRIGGER events_unexpire AFTER DELETE ON events BEGIN
      DELETE FROM event_expirations WHERE event_id = OLD.id;
    END;

    \(indexLifecycle(rows: "events"))
    """

  /// Largest number of expired events one sweep pass deletes, in one transaction of its own:
  /// a pass never holds the writer long, and a backlog is worked off pass after pass, between
  /// batches of payments.
  static let expirationSweepLimit = 500

  /// Indexes the expirations and deletions of the events in `rows` (an SQL table or
  /// subquery of `events`) and applies every recorded deletion to every stored event. Run
  /// by the migration over all events, and at open over those another program inserted
  /// while BLS was stopped (``lifecycleReindexSQL``). Idempotent.
  private static func indexLifecycle(rows: String) -> String {
    """
    INSERT OR REPLACE INTO event_expirations (event_id, expires_at)
      SELECT id, CAST(value AS INTEGER) FROM (
        SELECT e.id, \(firstTagValue(named: "expiration", tags: "e.tags")) AS value FROM \(rows) AS e)
      WHERE value <> '' AND value NOT GLOB '*[^0-9]*' AND (length(ltrim(value, '0')) < 19
        OR (length(ltrim(value, '0')) = 19 AND ltrim(value, '0') <= '9223372036854775807'));

    INSERT OR IGNORE INTO event_deletions (event_id, pubkey, deletion_id)
      SELECT value, pubkey, id FROM (\(deletionTags(rows: rows))) WHERE name = 'e';

    INSERT INTO address_deletions (pubkey, kind, d, deleted_through, deletion_id)
      SELECT pubkey, CAST(kind_text AS INTEGER), d, max(created_at), id FROM (
        SELECT pubkey, id, created_at,
          substr(value, 1, instr(value, ':') - 1) AS kind_text,
          substr(value, instr(value, ':') + 1, 64) AS target,
          substr(value, instr(value, ':') + 65, 1) AS colon,
          substr(value, instr(value, ':') + 66) AS d
        FROM (\(deletionTags(rows: rows))) WHERE name = 'a')
      WHERE target = pubkey AND colon = ':' AND kind_text <> '' AND kind_text NOT GLOB '*[^0-9]*'
        AND length(kind_text) <= 5 AND (CAST(kind_text AS INTEGER) IN (0, 3)
          OR CAST(kind_text AS INTEGER) BETWEEN 10000 AND 19999 OR CAST(kind_text AS INTEGER) BETWEEN 30000 AND 39999)
      GROUP BY pubkey, CAST(kind_text AS INTEGER), d
      ON CONFLICT (pubkey, kind, d) DO UPDATE SET
        deletion_id = CASE WHEN excluded.deleted_through > deleted_through THEN excluded.deletion_id ELSE deletion_id END,
        deleted_through = max(deleted_through, excluded.deleted_through);

    DELETE FROM events WHERE kind <> 5 AND id IN (
      SELECT x.event_id FROM event_deletions AS x JOIN events AS e ON e.id = x.event_id AND e.pubkey = x.pubkey);
    DELETE FROM events WHERE id IN (
      SELECT e.id FROM address_deletions AS x JOIN events AS e ON e.pubkey = x.pubkey AND e.kind = x.kind
        WHERE e.created_at <= x.deleted_through
          AND CASE WHEN e.kind BETWEEN 30000 AND 39999
            THEN coalesce(\(firstTagValue(named: "d", tags: "e.tags")), '') ELSE '' END = x.d);
    """
  }

  /// ``indexLifecycle(rows:)`` for the events above the reindex mark, run at open in the
  /// transaction of ``Schema/reindexSQL``, before it moves the mark.
  static let lifecycleReindexSQL = indexLifecycle(rows: "(SELECT * FROM events WHERE rowid > \(markSQL))")

  /// The sweep's search: at most `?2` event ids whose expiration is at or before `?1`, the
  /// earliest first, from the `event_expirations_due` index alone.
  static let dueExpirationsSQL =
    "SELECT event_id FROM event_expirations WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2"

  /// (id, pubkey, created_at, name, value) of every tag with a text value of every kind-5
  /// event in `rows`.
  private static func deletionTags(rows: String) -> String {
    """
    SELECT id, pubkey, created_at, name, value FROM (
      SELECT x.id, x.pubkey, x.created_at,
        CASE WHEN t.type = 'array' THEN json_extract(t.value, '$[0]') END AS name,
        CASE WHEN t.type = 'array' THEN
          CASE WHEN json_type(t.value, '$[1]') = 'text' THEN json_extract(t.value, '$[1]') END END AS value
      FROM \(rows) AS x, json_each(\(jsonTags("x.tags"))) AS t
      WHERE x.kind = 5)
    WHERE value IS NOT NULL
    """
  }

  /// The text value of the first tag named `name` in `tags`, or NULL (no such tag, or its
  /// value is missing or not a string), as ``Nostr/NostrEvent/expiration`` reads it.
  private static func firstTagValue(named name: String, tags: String) -> String {
    """
    (SELECT CASE WHEN t.type = 'array' THEN
          CASE WHEN json_type(t.value, '$[1]') = 'text' THEN json_extract(t.value, '$[1]') END END
        FROM json_each(\(jsonTags(tags))) AS t
        WHERE CASE WHEN t.type = 'array' THEN json_extract(t.value, '$[0]') END = '\(name)'
        ORDER BY t.key LIMIT 1)
    """
  }

  /// `tags` when it is valid JSON, else an empty array (as ``Schema``'s own rule: a row another
  /// program wrote with malformed tags is skipped, never an error that blocks the migration).
  private static func jsonTags(_ tags: String) -> String {
    "CASE WHEN json_valid(\(tags)) THEN \(tags) ELSE '[]' END"
  }
}
