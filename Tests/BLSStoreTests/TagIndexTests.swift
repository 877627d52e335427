import Foundation
import Nostr
import Synchronization
import Testing

@testable import BLSStore

/// The writer indexes the tags of the events it stores itself (Schema.version3); events other
/// programs insert while the store is closed are indexed when it opens; files of versions 1
/// and 2 are brought to 3.
@Suite("Tag index: written by the store, caught up at open for other writers")
struct TagIndexTests {
  static func tagRows(_ path: String, _ id: String) throws -> [String] {
    try withRawDatabase(path) { db in
      try db.texts(
        "SELECT name || '=' || value FROM event_tags WHERE event_rowid = (SELECT rowid FROM events WHERE id = '\(id)') ORDER BY name, value"
      )
    }
  }

  @Test("the store's events: one row per one-letter tag with a value, repeats once, others none")
  func storedEventsAreIndexed() throws {
    let directory = TemporaryDirectory("tags-store")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    let event = Events.make(tags: [
      ["t", "x"], ["t", "x"], ["P", "key"], ["title", "long name"], ["e"], ["é", "not ascii"], ["t", "y", "extra"],
    ])
    #expect(try store.store(event) == .stored)
    #expect(try store.store(event) == .duplicate)
    #expect(try store.query([NostrFilter(tags: ["t": ["y"]])]).map(\.id) == [event.id])
    store.close()
    #expect(try Self.tagRows(directory.databasePath, event.id) == ["P=key", "t=x", "t=y"])
  }

  @Test("events another program inserted while the store was closed are indexed when it opens")
  func otherWritersAreIndexedAtOpen() throws {
    let directory = TemporaryDirectory("tags-reindex")
    defer { directory.remove() }
    let first = try SQLiteEventStore(dataDirectory: directory.path)
    let ours = Events.make(tags: [["t", "ours"]])
    _ = try first.store(ours)
    first.close()
    let id = String(repeating: "ab", count: 32)
    let broken = String(repeating: "ef", count: 32)
    try withRawDatabase(directory.databasePath) { db in
      // As the reference BLS (or a script) would: events rows only, one with malformed tags.
      try db.execute(
        """
        INSERT INTO events (id, pubkey, kind, content, tags, created_at, sig, received_at)
        VALUES ('\(id)', '\(Events.alice)', 1, 'typed by hand',
          '[["t","manual"],["t","manual"],["title","x"],["p","k"]]', 1700000000, '\(String(repeating: "cd", count: 64))', 0),
          ('\(broken)', '\(Events.alice)', 1, 'bad tags', '[["t",', 1700000000, '\(String(repeating: "cd", count: 64))', 0)
        """)
    }
    #expect(try Self.tagRows(directory.databasePath, id).isEmpty)
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    #expect(store.reindexedEvents == 2)
    #expect(try store.query([NostrFilter(tags: ["t": ["manual"]])]).map(\.id) == [id])
    #expect(try store.query([NostrFilter(tags: ["t": ["ours"]])]).map(\.id) == [ours.id])
    // The malformed row is skipped, not an error, and can still be deleted.
    try withRawDatabase(directory.databasePath) { db in try db.execute("DELETE FROM events WHERE id = '\(broken)'") }
    store.close()
    #expect(try Self.tagRows(directory.databasePath, id) == ["p=k", "t=manual"])
    // Indexed once: the next open finds nothing new.
    let again = try SQLiteEventStore(dataDirectory: directory.path)
    defer { again.close() }
    #expect(again.reindexedEvents == 0)
  }

  @Test("a row that reuses a deleted row's number is indexed too (the delete lowers the mark)")
  func reusedRowIDIsIndexed() throws {
    let directory = TemporaryDirectory("tags-reuse")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    for index in 0..<3 { _ = try store.store(Events.make(createdAt: Int64(index), tags: [["t", "first"]])) }
    store.close()
    let id = String(repeating: "ce", count: 32)
    let rowids = try withRawDatabase(directory.databasePath) { db in
      let top = try db.integer("SELECT max(rowid) FROM events")
      // Another program replaces the newest row: SQLite gives the new row the same number.
      try db.execute(
        """
        DELETE FROM events WHERE rowid = \(top ?? 0);
        INSERT INTO events (id, pubkey, kind, content, tags, created_at, sig, received_at)
        VALUES ('\(id)', '\(Events.alice)', 1, 'reused', '[["t","reused"]]', 1700000000,
          '\(String(repeating: "cd", count: 64))', 0)
        """)
      return (top, try db.integer("SELECT rowid FROM events WHERE id = '\(id)'"))
    }
    #expect(rowids.0 == rowids.1, "the test needs SQLite to reuse the number")
    let reopened = try SQLiteEventStore(dataDirectory: directory.path)
    defer { reopened.close() }
    #expect(reopened.reindexedEvents == 1)
    #expect(try reopened.query([NostrFilter(tags: ["t": ["reused"]])]).map(\.id) == [id])
  }

  @Test("replaceable events another program added: the newest per address is kept at open")
  func otherWritersReplaceablesAreReconciled() throws {
    let directory = TemporaryDirectory("tags-addresses")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    let stored = Events.make(createdAt: 100, kind: 0, content: "ours")
    let article = Events.make(createdAt: 100, kind: 30023, tags: [["d", "post"]], content: "ours")
    _ = try store.store(stored)
    _ = try store.store(article)
    store.close()
    // As the reference BLS kept them: every kind-0 version, and an addressable one.
    let newer = Events.make(createdAt: 200, kind: 0, content: "newer, theirs")
    let older = Events.make(createdAt: 50, kind: 0, content: "older, theirs")
    let olderArticle = Events.make(createdAt: 90, kind: 30023, tags: [["d", "post"]], content: "older article")
    try withRawDatabase(directory.databasePath) { db in
      for event in [newer, older, olderArticle] {
        try db.execute(
          """
          INSERT INTO events (id, pubkey, kind, content, tags, created_at, sig, received_at)
          VALUES ('\(event.id)', '\(event.pubkey)', \(event.kind), '\(event.content)', '\(EventRow.tagsJSON(event.tags))',
            \(event.createdAt), '\(event.sig)', 0)
          """)
      }
    }
    let reopened = try SQLiteEventStore(dataDirectory: directory.path)
    defer { reopened.close() }
    #expect(reopened.reindexedEvents == 3)
    #expect(reopened.supersededAtOpen == 3)
    #expect(try reopened.query([NostrFilter(kinds: [0])]).map(\.id) == [newer.id])
    #expect(try reopened.query([NostrFilter(kinds: [30023])]).map(\.id) == [article.id])
    // The address now knows its holder: an event older than it is not stored.
    #expect(try reopened.store(Events.make(createdAt: 150, kind: 0)) == .superseded)
    #expect(try reopened.store(Events.make(createdAt: 95, kind: 30023, tags: [["d", "post"]])) == .superseded)
  }

  @Test("the writer's own events are never re-indexed at open: it moves the mark in each batch")
  func writerMovesTheMark() throws {
    let directory = TemporaryDirectory("tags-mark")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    for index in 0..<20 { _ = try store.store(Events.make(createdAt: Int64(index), tags: [["t", "m"]])) }
    store.close()
    let mark = try withRawDatabase(directory.databasePath) { db in
      (
        try db.integer("SELECT value FROM bls_state WHERE key = '\(Schema.indexedThroughKey)'"),
        try db.integer("SELECT max(rowid) FROM events")
      )
    }
    #expect(mark.0 == mark.1)
    let reopened = try SQLiteEventStore(dataDirectory: directory.path)
    defer { reopened.close() }
    #expect(reopened.reindexedEvents == 0)
  }

  @Test("a version-1 file is migrated to the current trigger, its index intact")
  func versionOneFileIsMigrated() throws {
    let directory = TemporaryDirectory("tags-v1")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    let event = Events.make(tags: [["t", "old"]])
    _ = try store.store(event)
    store.close()
    // Put the file back to version 1: its triggers, its index, no state table, its number.
    try withRawDatabase(directory.databasePath) { db in
      try db.execute("DROP TRIGGER events_unindex; DROP TABLE bls_state")
      // …and without the lifecycle step's tables (Schema.lifecycle).
      try db.execute(
        "DROP TRIGGER events_unexpire; DROP TABLE event_expirations; DROP TABLE event_deletions; DROP TABLE address_deletions"
      )
      func statement(_ start: String, through end: String) -> String {
        let from = Schema.version1.range(of: start)!.lowerBound
        let to = Schema.version1[from...].range(of: end)!.upperBound
        return String(Schema.version1[from..<to])
      }
      // …and its tag table, keyed by event id (``Schema/tagsByRow`` rekeys it by rowid).
      try db.execute("DROP TABLE event_tags")
      try db.execute(statement("CREATE TABLE event_tags", through: "WITHOUT ROWID;"))
      try db.execute("INSERT INTO event_tags SELECT 't', 'old', created_at, id FROM events")
      try db.execute(statement("CREATE INDEX event_tags_event", through: ";"))
      try db.execute(statement("CREATE TRIGGER events_index_tags", through: "END;"))
      try db.execute(statement("CREATE TRIGGER events_unindex", through: "END;"))
      try db.execute("PRAGMA user_version = 1")
    }
    let reopened = try SQLiteEventStore(dataDirectory: directory.path)
    #expect(reopened.openedSchemaVersion == 1)
    let newer = Events.make(tags: [["t", "new"]])
    _ = try reopened.store(newer)
    #expect(try reopened.query([NostrFilter(tags: ["t": ["old", "new"]])]).count == 2)
    reopened.close()
    try withRawDatabase(directory.databasePath) { db in
      #expect(try db.integer("PRAGMA user_version") == Schema.currentVersion)
      // Version 3: no insert trigger, no event_id index; the delete trigger by exact keys.
      #expect(
        try db.texts("SELECT name FROM sqlite_master WHERE name IN ('events_index_tags', 'event_tags_event')").isEmpty)
      let unindex = try db.texts("SELECT sql FROM sqlite_master WHERE name = 'events_unindex'")
      #expect(unindex.first?.contains("(name, value) IN") == true)
    }
  }

  /// Rows in `event_tags` whose event is gone: what a disagreement between the writer and the
  /// delete trigger leaves behind.
  static func orphanTagRows(_ path: String) throws -> Int64 {
    try withRawDatabase(path) { db in
      try db.integer(
        "SELECT count(*) FROM event_tags AS t WHERE NOT EXISTS (SELECT 1 FROM events AS e WHERE e.rowid = t.event_rowid AND e.created_at = t.created_at)"
      ) ?? -1
    }
  }

  @Test("a tag value holding U+0000: the writer, the delete trigger and the open agree (no stale rows)")
  func nulInTagValues() throws {
    let directory = TemporaryDirectory("tags-nul")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    let first = Events.make(createdAt: 100, kind: 10002, tags: [["r", "wss://a\u{0}b"], ["t", "x\u{0}"]])
    let article = Events.make(createdAt: 100, kind: 30023, tags: [["d", "post\u{0}1"], ["t", "n\u{0}ul"]])
    #expect(try store.store(first) == .stored)
    #expect(try store.store(article) == .stored)
    #expect(try store.query([NostrFilter(tags: ["t": ["x\u{0}"]])]).map(\.id) == [first.id])
    // Replacing both runs the delete trigger on the old rows.
    let second = Events.make(createdAt: 200, kind: 10002, tags: [["r", "wss://a\u{0}b"]])
    let newerArticle = Events.make(createdAt: 200, kind: 30023, tags: [["d", "post\u{0}1"]])
    #expect(try store.store(second) == .stored)
    #expect(try store.store(newerArticle) == .stored)
    #expect(try store.query([NostrFilter(kinds: [30023])]).map(\.id) == [newerArticle.id])
    store.close()
    #expect(try Self.orphanTagRows(directory.databasePath) == 0)
    // The full value is what `events` keeps.
    let kept = try withRawDatabase(directory.databasePath) { db in
      try db.texts("SELECT tags FROM events WHERE id = '\(second.id)'")
    }
    #expect(kept == [#"[["r","wss://a\u0000b"]]"#])
    // Another program adds an older version of the article's address: the open reduces the
    // address to the writer's newest event (same d as the writer computed), then deleting
    // every event leaves no tag row behind.
    let olderTheirs = Events.make(createdAt: 50, kind: 30023, tags: [["d", "post\u{0}1"], ["t", "old\u{0}x"]])
    try withRawDatabase(directory.databasePath) { db in
      try db.execute(
        """
        INSERT INTO events (id, pubkey, kind, content, tags, created_at, sig, received_at)
        VALUES ('\(olderTheirs.id)', '\(olderTheirs.pubkey)', 30023, 'x', '\(EventRow.tagsJSON(olderTheirs.tags))',
          50, '\(olderTheirs.sig)', 0)
        """)
    }
    let reopened = try SQLiteEventStore(dataDirectory: directory.path)
    #expect(reopened.supersededAtOpen == 1)
    #expect(try reopened.query([NostrFilter(kinds: [30023])]).map(\.id) == [newerArticle.id])
    reopened.close()
    try withRawDatabase(directory.databasePath) { db in
      #expect(try db.integer("SELECT count(*) FROM event_addresses WHERE kind = 30023") == 1)
      try db.execute("DELETE FROM events")
    }
    #expect(try Self.orphanTagRows(directory.databasePath) == 0)
  }

  @Test("a version-4 file's tag rows, keyed by event id, are rekeyed by rowid; rows of gone events dropped")
  func versionFourRowsAreRekeyed() throws {
    let directory = TemporaryDirectory("tags-v4")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    let events = (0..<5).map { Events.make(createdAt: 100, tags: [["t", "same"], ["p", "k\($0)"]]) }
    for event in events { #expect(try store.store(event) == .stored) }
    store.close()
    // Put the tag table back to version 4's layout, rows named by id, one of them for an
    // event that is gone.
    try withRawDatabase(directory.databasePath) { db in
      try db.execute("DROP TRIGGER events_unindex; DROP TABLE event_tags")
      try db.execute(
        """
        CREATE TABLE event_tags (name TEXT NOT NULL, value TEXT NOT NULL, created_at INTEGER NOT NULL,
          event_id TEXT NOT NULL, PRIMARY KEY (name, value, created_at, event_id)) WITHOUT ROWID;
        INSERT INTO event_tags SELECT 't', 'same', created_at, id FROM events;
        INSERT INTO event_tags SELECT 'p', json_extract(tags, '$[1][1]'), created_at, id FROM events;
        INSERT INTO event_tags VALUES ('t', 'same', 100, '\(String(repeating: "0", count: 64))');
        PRAGMA user_version = 4;
        """)
      let from = Schema.version3.range(of: "CREATE TRIGGER events_unindex")!.lowerBound
      let to = Schema.version3[from...].range(of: "END;")!.upperBound
      try db.execute(String(Schema.version3[from..<to]))
    }
    // A migration that rebuilds a table reports itself (`run` waits only while it does).
    let reports = Mutex<[MigrationProgress]>([])
    var options = SQLiteEventStore.Options()
    options.migrationProgress = { progress in reports.withLock { $0.append(progress) } }
    let reopened = try SQLiteEventStore(dataDirectory: directory.path, options: options)
    #expect(reopened.openedSchemaVersion == 4)
    let seen = reports.withLock { $0 }
    #expect(seen.first?.step == "keying the tag index by row (schema 5)")
    #expect(seen.first.map { ($0.stepNumber, $0.stepCount, $0.rowsTotal) } ?? (0, 0, 0) == (1, 1, 5))
    #expect(seen.last?.finished == true)
    #expect(Set(try reopened.query([NostrFilter(tags: ["t": ["same"]])]).map(\.id)) == Set(events.map(\.id)))
    #expect(try reopened.query([NostrFilter(tags: ["p": ["k3"]])]).map(\.id) == [events[3].id])
    reopened.close()
    try withRawDatabase(directory.databasePath) { db throws in
      #expect(try db.integer("PRAGMA user_version") == Schema.currentVersion)
      #expect(try db.integer("SELECT count(*) FROM event_tags") == 10)
      #expect(
        try db.texts("SELECT name FROM pragma_table_info('event_tags')") == [
          "name", "value", "created_at", "event_rowid",
        ])
    }
    #expect(try Self.tagRows(directory.databasePath, events[3].id) == ["p=k3", "t=same"])
    #expect(try Self.orphanTagRows(directory.databasePath) == 0)
    // The new delete trigger follows the new key.
    try withRawDatabase(directory.databasePath) { db in
      try db.execute("DELETE FROM events WHERE id = '\(events[1].id)'")
    }
    #expect(try Self.tagRows(directory.databasePath, events[1].id) == [])
    let left = try withRawDatabase(directory.databasePath) { db in try db.integer("SELECT count(*) FROM event_tags") }
    #expect(left == 8)
  }

  @Test("VACUUM keeps rowids, so the tag index still finds every event after an operator's VACUUM")
  func vacuumKeepsRowIDs() throws {
    let directory = TemporaryDirectory("tags-vacuum")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    let events = (0..<40).map {
      Events.make(createdAt: 100 + Int64($0 % 3), tags: [["t", $0 % 2 == 0 ? "even" : "odd"]])
    }
    for event in events { #expect(try store.store(event) == .stored) }
    store.close()
    // Holes in the rowids (the case where a rebuilt table could renumber), then VACUUM.
    let before = try withRawDatabase(directory.databasePath) { db in
      try db.execute("DELETE FROM events WHERE rowid % 4 = 1")
      let rows = try db.texts("SELECT id || ':' || rowid FROM events ORDER BY id")
      try db.execute("VACUUM")
      return rows
    }
    let after = try withRawDatabase(directory.databasePath) { db in
      try db.texts("SELECT id || ':' || rowid FROM events ORDER BY id")
    }
    #expect(after == before)
    let reopened = try SQLiteEventStore(dataDirectory: directory.path)
    defer { reopened.close() }
    let stored = try reopened.query([NostrFilter(kinds: [1])])
    let even = try reopened.query([NostrFilter(tags: ["t": ["even"]])])
    #expect(Set(even.map(\.id)) == Set(stored.filter { $0.tags == [["t", "even"]] }.map(\.id)))
    #expect(even.count == 10)
  }

  @Test("an event whose last tag repeats an earlier one is stored, and reported stored (not duplicate)")
  func trailingRepeatedTag() throws {
    let directory = TemporaryDirectory("tags-trailing-repeat")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    defer { store.close() }
    let note = Events.make(tags: [["t", "x"], ["t", "x"]])
    #expect(try store.store(note) == .stored)
    #expect(try store.store(note) == .duplicate)
    #expect(store.statistics.stored == 1)
    // A NIP-09 deletion with one k per e (the tags repeat at the end) is applied.
    let target = Events.make(createdAt: 1_700_000_000, tags: [["t", "target"]])
    #expect(try store.store(target) == .stored)
    let deletion = Events.make(
      createdAt: 1_700_000_100, kind: 5, tags: [["e", target.id], ["k", "1"], ["k", "1"]])
    #expect(try store.store(deletion) == .stored)
    #expect(try store.event(id: target.id) == nil)
    #expect(try store.store(target) == .superseded)
  }

  @Test("a tag row left by a trigger-bypassing delete does not match the event reusing its row number")
  func staleRowDoesNotMatchAReusedRow() throws {
    let directory = TemporaryDirectory("tags-stale")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    let ours = Events.make(createdAt: 1_700_000_000, tags: [["t", "ours"]])
    #expect(try store.store(ours) == .stored)
    store.close()
    // As `INSERT OR REPLACE` or a dropped trigger would: the row goes, its tag row stays, and
    // the next insert takes the same row number.
    try withRawDatabase(directory.databasePath) { db in
      try db.execute("DROP TRIGGER events_unindex")
      try db.execute("DELETE FROM events WHERE id = '\(ours.id)'")
      try db.execute(
        """
        INSERT INTO events (id, pubkey, kind, content, tags, created_at, sig, received_at)
        VALUES ('\(String(repeating: "ab", count: 32))', '\(Events.alice)', 1, 'theirs', '[]', 1700000500,
          '\(String(repeating: "cd", count: 64))', 0)
        """)
      try db.execute(Schema.deleteTrigger)
      #expect(try db.integer("SELECT count(*) FROM event_tags WHERE event_rowid = 1") == 1)
    }
    let reopened = try SQLiteEventStore(dataDirectory: directory.path)
    defer { reopened.close() }
    #expect(try reopened.query([NostrFilter(tags: ["t": ["ours"]])]).isEmpty)
  }
}
