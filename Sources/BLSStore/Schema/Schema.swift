import Glibc
import Nostr

/// The database layout and its versions (`PRAGMA user_version`).
///
/// Version 0 is the reference implementation's file (or an empty file): the `events` table
/// only. Each later version is reached by one forward migration, run in the same transaction
/// as the `user_version` bump, so a file is always at exactly one version.
enum Schema {
  /// The version this release writes.
  static let currentVersion: Int64 = 5

  /// The reference's `events` table, column for column, so its tools can read our file.
  /// Times are Unix seconds; `tags` is the JSON text of the tag array.
  static let eventsTable = """
    CREATE TABLE IF NOT EXISTS events (
      id TEXT PRIMARY KEY,
      pubkey TEXT NOT NULL,
      kind INTEGER NOT NULL,
      content TEXT NOT NULL,
      tags TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      sig TEXT NOT NULL,
      received_at INTEGER NOT NULL
    )
    """

  /// The columns a file must have in `events` for this release to use it.
  static let eventsColumns: Set<String> = [
    "id", "pubkey", "kind", "content", "tags", "created_at", "sig", "received_at",
  ]

  /// Forward migrations; `migrations[n]` takes a file from version `n` to `n + 1`.
  static let migrations: [String] = [version1, version2, version3, lifecycle, tagsByRow]

  /// What each of ``migrations`` does, for the progress log.
  static let migrationTitles: [String] = [
    "indexing tags and addresses (schema 1)",
    "indexing tags in the writer (schema 2)",
    "leaving the tag index to the writer (schema 3)",
    "indexing expirations and deletions, NIP-40 and NIP-09 (schema 4)",
    "keying the tag index by row (schema 5)",
  ]

  /// Version 1: indexes for NIP-01 filters, an exact tag index, and one row per replaceable or
  /// addressable address.
  ///
  /// - `event_tags` holds (name, first value) of every tag whose name is a single letter — the
  ///   tags NIP-01 filters query (`#e`, `#p`, …) — ordered for newest-first scans. Triggers on
  ///   `events` keep it in step with any writer, including SQL typed by an operator.
  /// - `event_addresses` names the one event that holds each (pubkey, kind, d) address
  ///   (`d` is `""` for replaceable kinds), so a replacement is one primary-key lookup instead
  ///   of a `LIKE` over JSON.
  /// - The reference's single-column indexes are replaced by composite ones that also serve
  ///   `ORDER BY created_at DESC`; `idx_events_created_at` stays for unfiltered scans.
  /// - Existing rows are indexed, and where a reference file holds several versions of one
  ///   address (it kept every kind 0 and 3, and its `LIKE` missed some `d` values) only the
  ///   newest stays, as NIP-01 requires (ties: lowest id).
  static let version1 = """
    \(eventsTable);
    DROP INDEX IF EXISTS idx_events_pubkey;
    DROP INDEX IF EXISTS idx_events_kind;
    DROP INDEX IF EXISTS idx_events_pubkey_kind;
    CREATE INDEX IF NOT EXISTS idx_events_created_at ON events(created_at);
    CREATE INDEX IF NOT EXISTS events_pubkey_kind_created ON events(pubkey, kind, created_at);
    CREATE INDEX IF NOT EXISTS events_kind_created ON events(kind, created_at);

    CREATE TABLE event_tags (
      name TEXT NOT NULL,
      value TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      event_id TEXT NOT NULL,
      PRIMARY KEY (name, value, created_at, event_id)
    ) WITHOUT ROWID;
    CREATE INDEX event_tags_event ON event_tags(event_id);

    CREATE TABLE event_addresses (
      pubkey TEXT NOT NULL,
      kind INTEGER NOT NULL,
      d TEXT NOT NULL,
      event_id TEXT NOT NULL,
      PRIMARY KEY (pubkey, kind, d)
    ) WITHOUT ROWID;

    CREATE TRIGGER events_index_tags AFTER INSERT ON events BEGIN
      INSERT OR IGNORE INTO event_tags (name, value, created_at, event_id)
      \(tagRows(tags: "NEW.tags", createdAt: "NEW.created_at", id: "NEW.id"));
    END;

    CREATE TRIGGER events_unindex AFTER DELETE ON events BEGIN
      DELETE FROM event_tags WHERE event_id = OLD.id;
      DELETE FROM event_addresses
        WHERE pubkey = OLD.pubkey AND kind = OLD.kind AND event_id = OLD.id;
    END;

    INSERT OR IGNORE INTO event_tags (name, value, created_at, event_id)
      \(tagRows(tags: "e.tags", createdAt: "e.created_at", id: "e.id", from: "events AS e,"));

    WITH addressed AS (
      SELECT e.id, e.pubkey, e.kind, e.created_at,
        \(addressD(kind: "e.kind", tags: "e.tags")) AS d
      FROM events AS e
      WHERE e.kind IN (0, 3) OR e.kind BETWEEN 10000 AND 19999 OR e.kind BETWEEN 30000 AND 39999
    ), ranked AS (
      SELECT id, pubkey, kind, d, row_number() OVER (
          PARTITION BY pubkey, kind, d ORDER BY created_at DESC, id ASC) AS rank
        FROM addressed
    )
    INSERT INTO event_addresses (pubkey, kind, d, event_id)
      SELECT pubkey, kind, d, id FROM ranked WHERE rank = 1;

    DELETE FROM events
      WHERE (kind IN (0, 3) OR kind BETWEEN 10000 AND 19999 OR kind BETWEEN 30000 AND 39999)
        AND id NOT IN (SELECT event_id FROM event_addresses);
    """

  /// Version 2: the writer indexes the tags of the events it stores itself, with one prepared
  /// INSERT per tag, before inserting the event; the trigger then finds the rows present and
  /// does nothing. It still indexes any event inserted by other SQL (an operator's shell, a
  /// script), and no longer sorts the rows for `DISTINCT` (`INSERT OR IGNORE` already drops
  /// repeats). Per stored event this is about a quarter of SQLite's work (bench/micro:
  /// 249 k → 190 k instructions), the JSON functions no longer running for the writer's events.
  static let version2 = """
    DROP TRIGGER IF EXISTS events_index_tags;
    CREATE TRIGGER events_index_tags AFTER INSERT ON events
    WHEN NOT EXISTS (SELECT 1 FROM event_tags WHERE event_id = NEW.id) BEGIN
      INSERT OR IGNORE INTO event_tags (name, value, created_at, event_id)
      \(tagRows(tags: "NEW.tags", createdAt: "NEW.created_at", id: "NEW.id", distinct: false));
    END;
    """

  /// Version 3: the writer alone keeps `event_tags`, and nothing on the insert path is there
  /// for anyone else.
  ///
  /// - The insert trigger goes, and with it the `event_tags(event_id)` index that its guard
  ///   and the delete trigger used: together about a third of SQLite's work per stored event
  ///   (bench/micro `store tmpfs, 32`: 162 k → 109 k instructions), and one of the three
  ///   B-tree leaves each event wrote at a random place.
  /// - The delete trigger removes an event's tag rows by their exact keys (a primary-key
  ///   search on all four columns), computed from its tags (deletes are rare: a replaced
  ///   event, an operator's `DELETE`).
  /// - `bls_state.tags_indexed_through` is the highest `events` rowid whose tags are indexed;
  ///   the writer advances it in each batch's transaction, and the delete trigger lowers it to
  ///   the highest rowid left (SQLite gives the next row the highest rowid plus one, so a
  ///   deleted top row's number is reused, and must count as not yet indexed). Rows another program inserted
  ///   while BLS was stopped (the reference BLS during a rollback, a script) sit above it and
  ///   are indexed when the store next opens (``reindexSQL``). One process owns the database
  ///   while it runs (architecture.md).
  static let version3 = """
    DROP TRIGGER IF EXISTS events_index_tags;
    DROP TRIGGER IF EXISTS events_unindex;
    DROP INDEX IF EXISTS event_tags_event;
    \(deleteTrigger(tagColumn: "event_id", key: "OLD.id"))
    \(stateTable)
    """

  /// `bls_state` (version 3), its mark at the last row present.
  static let stateTable = """
    CREATE TABLE bls_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
    INSERT INTO bls_state (key, value)
      VALUES ('\(indexedThroughKey)', (SELECT coalesce(max(rowid), 0) FROM events));
    """

  /// The `bls_state` key of the highest `events` rowid whose tags are in `event_tags`.
  static let indexedThroughKey = "tags_indexed_through"

  /// That mark, as an SQL scalar subquery.
  static let markSQL = "(SELECT value FROM bls_state WHERE key = '\(indexedThroughKey)')"

  /// Indexes the tags of events above the mark (inserted by another program while BLS was
  /// stopped) and moves the mark to the last event; run at open, in one transaction.
  static let reindexSQL = """
    INSERT OR IGNORE INTO event_tags (name, value, created_at, event_rowid)
      \(tagRows(
        tags: validTags("e.tags"), createdAt: "e.created_at", id: "e.row",
        from: """
          (SELECT rowid AS row, tags, created_at FROM events
            WHERE rowid > \(markSQL)) AS e,
          """,
        distinct: false));
    UPDATE bls_state SET value = (SELECT coalesce(max(rowid), 0) FROM events) WHERE key = '\(indexedThroughKey)';
    """

  /// Keeps one event per replaceable or addressable address among the events above the mark
  /// (another program's, which did not maintain `event_addresses`) and each address's holder:
  /// the newest, ties to the lowest id (NIP-01, as the writer decides), deleting the others
  /// and pointing `event_addresses` at the winner. Run at open before ``reindexSQL``, in the
  /// same transaction; leaves the count of deleted events in `temp.bls_superseded`.
  static let reconcileAddressesSQL = """
    CREATE TEMP TABLE bls_addressed AS
      WITH fresh AS (
        SELECT e.id, e.pubkey, e.kind, e.created_at,
          \(addressD(kind: "e.kind", tags: validTags("e.tags"))) AS d
        FROM events AS e
        WHERE e.rowid > \(markSQL)
          AND (e.kind IN (0, 3) OR e.kind BETWEEN 10000 AND 19999 OR e.kind BETWEEN 30000 AND 39999)
      ), candidates AS (
        SELECT id, pubkey, kind, d, created_at FROM fresh
        UNION
        SELECT e.id, a.pubkey, a.kind, a.d, e.created_at
          FROM event_addresses AS a JOIN events AS e ON e.id = a.event_id
          WHERE (a.pubkey, a.kind, a.d) IN (SELECT pubkey, kind, d FROM fresh)
      )
      SELECT id, pubkey, kind, d, row_number() OVER (
          PARTITION BY pubkey, kind, d ORDER BY created_at DESC, id ASC) AS rank
        FROM candidates;
    DELETE FROM events WHERE id IN (SELECT id FROM temp.bls_addressed WHERE rank > 1);
    INSERT OR REPLACE INTO event_addresses (pubkey, kind, d, event_id)
      SELECT pubkey, kind, d, id FROM temp.bls_addressed WHERE rank = 1;
    """

  /// The writer's statement that advances the mark (``indexedThroughKey``) within a batch.
  static let advanceMarkSQL =
    "UPDATE bls_state SET value = max(value, ?) WHERE key = '\(indexedThroughKey)'"

  /// `tags` when it is valid JSON, else an empty array: a row some other program wrote with
  /// malformed tags is skipped, never an error that blocks a delete or the store's start.
  static func validTags(_ tags: String) -> String {
    "CASE WHEN json_valid(\(tags)) THEN \(tags) ELSE '[]' END"
  }

  /// The `d` of an event's address, as the writer computes it (``NostrEvent/replacementKey``):
  /// for an addressable kind the value of its first `d` tag, `""` when it has none; `""` for
  /// every other kind.
  static func addressD(kind: String, tags: String) -> String {
    """
    CASE WHEN \(kind) BETWEEN 30000 AND 39999 THEN coalesce((
          SELECT CASE WHEN t.type = 'array' THEN json_extract(t.value, '$[1]') END
            FROM json_each(\(tags)) AS t
            WHERE t.type = 'array' AND CASE WHEN t.type = 'array' THEN json_extract(t.value, '$[0]') END = 'd'
            ORDER BY t.key LIMIT 1), '')
        ELSE '' END
    """
  }

  /// A tag string as SQLite's JSON functions read it: up to its first U+0000. SQLite 3.40's
  /// `json_extract` and `json_each` end a string at an escaped NUL (`"a\u0000b"` reads as
  /// `"a"`), so the delete trigger, the reconciliation at open (``reindexSQL``,
  /// ``reconcileAddressesSQL``) and the writer agree only if the writer indexes this view of
  /// each name and value too. `events.tags` itself keeps the whole string; only the index and
  /// the address key (``addressD(of:)``) use the view, so two tag values that differ only after
  /// a NUL share an index row (a filter on one also finds the other) and two addressable
  /// events whose `d` differs only after a NUL share one address.
  static func sqliteView(_ text: String) -> Substring {
    // memchr on the contiguous UTF-8 (native strings), else the generic search.
    let offset =
      text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
        guard let base = bytes.baseAddress, let hit = memchr(base, 0, bytes.count) else { return nil }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
      } ?? text.utf8.firstIndex(of: 0).map { text.utf8.distance(from: text.utf8.startIndex, to: $0) }
    guard let offset else { return text[...] }
    return text[..<text.utf8.index(text.utf8.startIndex, offsetBy: offset)]
  }

  /// The `event_tags` row (name, value) of a tag, as SQL computes it (``tagRows``), or `nil`
  /// when the tag gets none: its name (seen through ``sqliteView(_:)``) must be one ASCII
  /// letter and it must have a value.
  static func indexedRow(_ tag: [String]) -> (name: Substring, value: Substring)? {
    guard tag.count >= 2 else { return nil }
    let name = sqliteView(tag[0])
    guard name.utf8.count == 1, let letter = name.utf8.first else { return nil }
    guard (letter >= 0x41 && letter <= 0x5A) || (letter >= 0x61 && letter <= 0x7A) else { return nil }
    return (name, sqliteView(tag[1]))
  }

  /// The `d` of an addressable event's row in `event_addresses`, as SQL computes it
  /// (``addressD(kind:tags:)``): the value of the first tag whose name reads `d`, `""` without
  /// one. The writer keys addresses with this, so a reconciliation at open agrees with it.
  static func addressD(of event: NostrEvent) -> String {
    for tag in event.tags where !tag.isEmpty && sqliteView(tag[0]) == "d" {
      return tag.count > 1 ? String(sqliteView(tag[1])) : ""
    }
    return ""
  }

  /// The rows of `event_tags` for one event: tags whose first element is a one-letter string
  /// and that have a string value. A tag of any other shape is skipped, not an error. `id` is
  /// what the row names its event by: the event's id up to version 4, its rowid since
  /// ``tagsByRow``.
  static func tagRows(
    tags: String, createdAt: String, id: String, from: String = "", distinct: Bool = true
  ) -> String {
    // `t.value` is the JSON text of an array element only when `t.type` is 'array'; CASE
    // guarantees json_extract never sees anything else.
    """
    SELECT \(distinct ? "DISTINCT " : "")name, value, created_at, event FROM (
        SELECT \(createdAt) AS created_at, \(id) AS event,
          CASE WHEN t.type = 'array' THEN json_type(t.value, '$[0]') END AS name_type,
          CASE WHEN t.type = 'array' THEN json_type(t.value, '$[1]') END AS value_type,
          CASE WHEN t.type = 'array' THEN json_extract(t.value, '$[0]') END AS name,
          CASE WHEN t.type = 'array' THEN json_extract(t.value, '$[1]') END AS value
        FROM \(from) json_each(\(tags)) AS t)
      WHERE name_type = 'text' AND value_type = 'text' AND name GLOB '[A-Za-z]'
    """
  }
}
