import Foundation
import Nostr
import Testing

@testable import BLSStore

/// The writer indexes the tags of the events it stores itself (Schema.version2); the trigger
/// keeps indexing events that other SQL inserts, and files of version 1 are brought to 2.
@Suite("Tag index: written by the store, kept by the trigger for other writers")
struct TagIndexTests {
  static func tagRows(_ path: String, _ id: String) throws -> [String] {
    try withRawDatabase(path) { db in
      try db.texts("SELECT name || '=' || value FROM event_tags WHERE event_id = '\(id)' ORDER BY name, value")
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

  @Test("an event inserted by other SQL (an operator's shell) is indexed by the trigger")
  func otherWritersAreIndexedByTheTrigger() throws {
    let directory = TemporaryDirectory("tags-trigger")
    defer { directory.remove() }
    try SQLiteEventStore(dataDirectory: directory.path).close()
    let id = String(repeating: "ab", count: 32)
    try withRawDatabase(directory.databasePath) { db in
      try db.execute(
        """
        INSERT INTO events (id, pubkey, kind, content, tags, created_at, sig, received_at)
        VALUES ('\(id)', '\(Events.alice)', 1, 'typed by hand',
          '[["t","manual"],["t","manual"],["title","x"],["p","k"]]', 1700000000, '\(String(repeating: "cd", count: 64))', 0)
        """)
    }
    #expect(try Self.tagRows(directory.databasePath, id) == ["p=k", "t=manual"])
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    defer { store.close() }
    #expect(try store.query([NostrFilter(tags: ["t": ["manual"]])]).map(\.id) == [id])
  }

  @Test("a version-1 file is migrated to the current trigger, its index intact")
  func versionOneFileIsMigrated() throws {
    let directory = TemporaryDirectory("tags-v1")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    let event = Events.make(tags: [["t", "old"]])
    _ = try store.store(event)
    store.close()
    // Put the file back to version 1: its trigger, its version number.
    try withRawDatabase(directory.databasePath) { db in
      try db.execute("DROP TRIGGER events_index_tags")
      let version1Trigger = Schema.version1[
        Schema.version1.range(of: "CREATE TRIGGER events_index_tags")!.lowerBound...]
      let end = version1Trigger.range(of: "END;")!.upperBound
      try db.execute(String(version1Trigger[..<end]))
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
      let sql = try db.texts("SELECT sql FROM sqlite_master WHERE name = 'events_index_tags'")
      #expect(sql.first?.contains("WHEN NOT EXISTS") == true)
    }
  }
}
