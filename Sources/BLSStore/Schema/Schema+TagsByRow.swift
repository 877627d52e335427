/// Version 5: `event_tags` names its event by `events.rowid` instead of the event's id.
///
/// The tag index's key was (name, value, created_at, event id). Events that share a tag value
/// and a second — a busy hashtag, a popular author's `p`, every event of a burst — sorted by
/// their random ids, so each stored event wrote its tag row into a different B-tree leaf, and
/// a batch of n such events dirtied n leaves: in bench/run.sh's accept run, a third of the
/// WAL frames of each commit (and of the checkpoint's reads and writes after it). Keyed by
/// rowid, which the writer hands out in increasing order, such rows are appended to the last
/// leaf of their (name, value, created_at) run, which the whole batch shares. Filters join the
/// index to `events` by rowid (the table's own key) instead of through the id index.
///
/// SQLite 3.40's `VACUUM` keeps the rowids of `events` (it copies the rows with them, the
/// table having an index; SQLite's documentation does not promise it for a table without an
/// INTEGER PRIMARY KEY, so `TagIndexTests.vacuumKeepsRowIDs` checks it), as
/// ``Schema/indexedThroughKey`` already relies on; a file rebuilt from `sqlite3 .dump` needs
/// `--preserve-rowids`; `bls-fcgi import`, which inserts rows anew, indexes their tags as it
/// goes. A filter also requires a tag row's `created_at` to be its event's, so a row left by
/// another program's trigger-bypassing delete (`INSERT OR REPLACE`) does not match an event
/// that reuses its row number.
extension Schema {
  /// The rebuild: the existing rows keep their names, values and times, and take the rowid
  /// of their event (a row whose event is gone is dropped); the delete trigger follows the
  /// new key.
  static let tagsByRow = """
    DROP TRIGGER IF EXISTS events_unindex;
    \(tagTable(named: "event_tags_by_row"));
    INSERT OR IGNORE INTO event_tags_by_row (name, value, created_at, event_rowid)
      SELECT t.name, t.value, t.created_at, e.rowid FROM event_tags AS t JOIN events AS e ON e.id = t.event_id
      ORDER BY t.name, t.value, t.created_at, e.rowid;
    DROP TABLE event_tags;
    ALTER TABLE event_tags_by_row RENAME TO event_tags;
    \(deleteTrigger)
    """

  /// `CREATE TABLE` for the tag index keyed by rowid. SQLite records a renamed table's name
  /// quoted (`CREATE TABLE "event_tags" (…`), so the adoption creates it as `"event_tags"`
  /// and a file adopted and a file migrated step by step hold the same schema text.
  static func tagTable(named name: String) -> String {
    """
    CREATE TABLE \(name) (
      name TEXT NOT NULL,
      value TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      event_rowid INTEGER NOT NULL,
      PRIMARY KEY (name, value, created_at, event_rowid)
    ) WITHOUT ROWID
    """
  }

  /// Deletes a deleted event's `event_tags` rows by their exact keys (a primary-key search
  /// on all four columns; the rows are computed from its tags as the writer computed them),
  /// its `event_addresses` row, and lowers the mark (``indexedThroughKey``) to the highest
  /// rowid left, so that a reused rowid counts as not yet indexed.
  static let deleteTrigger = deleteTrigger(tagColumn: "event_rowid", key: "OLD.rowid")

  /// The delete trigger for a tag index whose rows name their event in `tagColumn` by `key`
  /// (``version3``: `event_id` by `OLD.id`; ``tagsByRow``: `event_rowid` by `OLD.rowid`).
  static func deleteTrigger(tagColumn: String, key: String) -> String {
    """
    CREATE TRIGGER events_unindex AFTER DELETE ON events BEGIN
      DELETE FROM event_tags WHERE created_at = OLD.created_at AND \(tagColumn) = \(key) AND (name, value) IN (
        SELECT name, value FROM (
          \(tagRows(tags: validTags("OLD.tags"), createdAt: "OLD.created_at", id: key, distinct: false))));
      DELETE FROM event_addresses
        WHERE pubkey = OLD.pubkey AND kind = OLD.kind AND event_id = OLD.id;
      UPDATE bls_state SET value = (SELECT coalesce(max(rowid), 0) FROM events)
        WHERE key = '\(indexedThroughKey)' AND value > (SELECT coalesce(max(rowid), 0) FROM events);
    END;
    """
  }
}
