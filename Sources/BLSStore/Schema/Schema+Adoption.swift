/// The fast path from a reference-written file (version 0 with an `events` table) straight to
/// ``Schema/adoptedVersion``: the same end state as ``Schema/version1`` … ``Schema/tagsByRow``
/// run one after another (AdoptionTests compares the two), in an order that does a fraction
/// of the work on a large file (1,000,000 rows: 119 s → about 20 s, BENCHMARKS.md):
///
/// - superseded versions of a replaceable or addressable address are deleted first, while the
///   table has no triggers and only the indexes the file keeps;
/// - the reference's three indexes that version 1 replaces are dropped before that delete, not
///   after, and the new ones are built last, over the rows that stay;
/// - `event_tags` is filled in its key order (one sort, then appends), keyed by rowid at once,
///   without the `event_tags(event_id)` index that version 1 built and version 3 drops;
/// - ``SchemaMigrator`` runs it with a rollback journal instead of the WAL when it can (new
///   pages are written once, not once to the WAL and again at the checkpoint) and a large
///   page cache.
///
/// Each step is one SQL script, run in one transaction with the `user_version` bump.
extension Schema {
  /// One step of the adoption: what it does (for the progress log) and its SQL.
  struct AdoptionStep {
    let title: String
    let sql: String
    /// The step scans `events` and calls `bls_migrated(rowid)` once per row.
    let countsRows: Bool
    /// The step deletes events: count them again after it, for the next steps' total.
    var deletesRows = false
  }

  /// The scalar SQL function the tag step calls once per event, counting rows for the
  /// progress log (``SchemaMigrator``).
  /// The version the adoption steps reach (the end state of ``version1`` … ``tagsByRow``);
  /// later migrations then run as usual.
  static let adoptedVersion: Int64 = 5

  static let rowCounterFunction = "bls_migrated"

  static let adoptionSteps: [AdoptionStep] = [
    AdoptionStep(
      title: "finding the newest event of each replaceable address",
      sql: """
        CREATE TEMP TABLE bls_adopted AS
          WITH addressed AS (
            SELECT e.rowid AS rid, e.id, e.pubkey, e.kind, e.created_at,
              \(addressD(kind: "e.kind", tags: "e.tags")) AS d
            FROM events AS e
            WHERE e.kind IN (0, 3) OR e.kind BETWEEN 10000 AND 19999 OR e.kind BETWEEN 30000 AND 39999
          )
          SELECT rid, id, pubkey, kind, d, row_number() OVER (
              PARTITION BY pubkey, kind, d ORDER BY created_at DESC, id ASC) AS rank
            FROM addressed;
        """, countsRows: false),
    AdoptionStep(
      title: "deleting older versions of replaceable events (NIP-01)",
      sql: """
        DROP INDEX IF EXISTS idx_events_pubkey;
        DROP INDEX IF EXISTS idx_events_kind;
        DROP INDEX IF EXISTS idx_events_pubkey_kind;
        DELETE FROM events WHERE rowid IN (SELECT rid FROM temp.bls_adopted WHERE rank > 1);
        CREATE TABLE event_addresses (
          pubkey TEXT NOT NULL,
          kind INTEGER NOT NULL,
          d TEXT NOT NULL,
          event_id TEXT NOT NULL,
          PRIMARY KEY (pubkey, kind, d)
        ) WITHOUT ROWID;
        INSERT INTO event_addresses (pubkey, kind, d, event_id)
          SELECT pubkey, kind, d, id FROM temp.bls_adopted WHERE rank = 1 ORDER BY pubkey, kind, d;
        DROP TABLE temp.bls_adopted;
        """, countsRows: false, deletesRows: true),
    AdoptionStep(
      title: "indexing tags",
      sql: """
        \(tagTable(named: #""event_tags""#));
        INSERT OR IGNORE INTO event_tags (name, value, created_at, event_rowid)
          \(tagRows(
            tags: "e.tags", createdAt: "e.created_at", id: "e.row",
            from: "(SELECT rowid AS row, tags, created_at FROM events WHERE \(rowCounterFunction)(rowid)) AS e,",
            distinct: false))
          ORDER BY name, value, created_at, event;
        """, countsRows: true),
    AdoptionStep(
      title: "building the event indexes",
      sql: """
        CREATE INDEX IF NOT EXISTS idx_events_created_at ON events(created_at);
        CREATE INDEX IF NOT EXISTS events_pubkey_kind_created ON events(pubkey, kind, created_at);
        CREATE INDEX IF NOT EXISTS events_kind_created ON events(kind, created_at);
        """, countsRows: false),
    // Version 5's delete trigger and version 3's state table, as a file migrated step by step
    // ends with them.
    AdoptionStep(title: "installing triggers", sql: "\(deleteTrigger)\n\(stateTable)", countsRows: false),
    AdoptionStep(title: "indexing expirations and deletions (NIP-40, NIP-09)", sql: lifecycle, countsRows: false),
  ]
}
