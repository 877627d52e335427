import Foundation
import Nostr
import Testing

@testable import BLSStore

@Suite("Migration: a reference-written events.db opens, is indexed, and keeps NIP-01 rules")
struct MigrationTests {
  /// The reference BLS's table and indexes (packages/bls, storage/SqliteEventStore), no
  /// user_version: the file layout its users have on their volumes today.
  static let referenceDDL = """
    CREATE TABLE IF NOT EXISTS events (
      id TEXT PRIMARY KEY, pubkey TEXT NOT NULL, kind INTEGER NOT NULL, content TEXT NOT NULL,
      tags TEXT NOT NULL, created_at INTEGER NOT NULL, sig TEXT NOT NULL, received_at INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS idx_events_pubkey ON events(pubkey);
    CREATE INDEX IF NOT EXISTS idx_events_kind ON events(kind);
    CREATE INDEX IF NOT EXISTS idx_events_created_at ON events(created_at);
    CREATE INDEX IF NOT EXISTS idx_events_pubkey_kind ON events(pubkey, kind);
    """

  /// Writes `events` as the reference did: tags as `JSON.stringify` text.
  static func writeReferenceFile(_ path: String, _ events: [NostrEvent], receivedAt: Int64 = 1_650_000_000) throws {
    try withRawDatabase(path) { db throws in
      try db.execute(referenceDDL)
      let insert = try db.prepare(
        "INSERT INTO events (id, pubkey, kind, content, tags, created_at, sig, received_at) VALUES (?,?,?,?,?,?,?,?)")
      defer { insert.finalize() }
      for event in events {
        try insert.run([
          .text(event.id), .text(event.pubkey), .integer(Int64(event.kind)), .text(event.content),
          .text(EventRow.tagsJSON(event.tags)), .integer(event.createdAt), .text(event.sig),
          .integer(receivedAt),
        ])
      }
    }
  }

  @Test("reference file: tags indexed, old versions of one address reduced to the newest, data intact")
  func migratesReferenceFile() throws {
    let directory = TemporaryDirectory("migrate")
    defer { directory.remove() }
    let note = Events.make(createdAt: 10, kind: 1, tags: [["e", "root"], ["p", Events.bob], ["t", "100%"]])
    let reaction = Events.make(pubkey: Events.bob, createdAt: 11, kind: 7, tags: [["e", "root"]])
    // The reference kept every kind 0 and 3 (it treated them as regular).
    let profiles = (0..<3).map { Events.make(createdAt: Int64(100 + $0), kind: 0) }
    let tieLow = Events.make(id: Events.id(prefix: "00"), pubkey: Events.bob, createdAt: 50, kind: 3)
    let tieHigh = Events.make(id: Events.id(prefix: "ff"), pubkey: Events.bob, createdAt: 50, kind: 3)
    // Addressable: d values a LIKE pattern confuses, and "no d" ≡ "empty d".
    let percent = Events.make(createdAt: 20, kind: 30023, tags: [["d", "100%"]])
    let percentLookalike = Events.make(createdAt: 21, kind: 30023, tags: [["d", "100x"]])
    let underscoreOld = Events.make(createdAt: 30, kind: 30023, tags: [["d", "a_b"]])
    let underscoreNew = Events.make(createdAt: 31, kind: 30023, tags: [["title", "t"], ["d", "a_b"]])
    let noD = Events.make(createdAt: 40, kind: 30023, tags: [["title", "none"]])
    let emptyD = Events.make(createdAt: 41, kind: 30023, tags: [["d", ""]])
    let all =
      [note, reaction] + profiles + [
        tieHigh, tieLow, percent, percentLookalike, underscoreOld, underscoreNew, noD, emptyD,
      ]
    try Self.writeReferenceFile(directory.databasePath, all)

    let store = try SQLiteEventStore(dataDirectory: directory.path)
    #expect(store.migratedReferenceFile)
    #expect(store.openedSchemaVersion == 0)
    let survivors = [note, reaction, profiles[2], tieLow, percent, percentLookalike, underscoreNew, emptyD]
    let everything = try store.query([NostrFilter()])
    #expect(Set(everything.map(\.id)) == Set(survivors.map(\.id)))
    for event in survivors { #expect(try store.event(id: event.id) == event) }
    #expect(try store.query([NostrFilter(tags: ["e": ["root"]])]).map(\.id) == [reaction.id, note.id])
    #expect(try store.query([NostrFilter(tags: ["t": ["100%"]])]).map(\.id) == [note.id])
    #expect(try store.query([NostrFilter(tags: ["d": ["a_b"]])]).map(\.id) == [underscoreNew.id])

    // The address table now drives replacement.
    #expect(try store.store(Events.make(createdAt: 99, kind: 0)) == .superseded)
    let newest = Events.make(createdAt: 200, kind: 0)
    #expect(try store.store(newest) == .stored)
    #expect(try store.query([NostrFilter(authors: [Events.alice], kinds: [0])]).map(\.id) == [newest.id])
    let newPercent = Events.make(createdAt: 25, kind: 30023, tags: [["d", "100%"]])
    #expect(try store.store(newPercent) == .stored)
    #expect(try store.event(id: percentLookalike.id) != nil, "d=100% must not replace d=100x")
    #expect(try store.event(id: percent.id) == nil)
    #expect(try store.integrityCheck() == ["ok"])
    store.close()

    // The reference's columns are untouched (received_at kept), the version is recorded, and a
    // second open does not migrate again.
    try withRawDatabase(directory.databasePath) { db throws in
      #expect(try db.integer("PRAGMA user_version") == Schema.currentVersion)
      #expect(try db.integer("SELECT received_at FROM events WHERE id = '\(note.id)'") == 1_650_000_000)
      #expect(
        try db.integer(
          "SELECT count(*) FROM event_tags WHERE event_rowid = (SELECT rowid FROM events WHERE id = '\(note.id)')") == 3
      )
    }
    let again = try SQLiteEventStore(dataDirectory: directory.path)
    defer { again.close() }
    #expect(!again.migratedReferenceFile)
    #expect(again.openedSchemaVersion == Schema.currentVersion)
    // Two replacements since: the count is unchanged.
    #expect(try again.query([NostrFilter()]).count == survivors.count)
  }

  @Test("an empty reference file (table, no rows) migrates to an empty store")
  func emptyReferenceFile() throws {
    let directory = TemporaryDirectory("migrate-empty")
    defer { directory.remove() }
    try Self.writeReferenceFile(directory.databasePath, [])
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    defer { store.close() }
    #expect(store.migratedReferenceFile)
    #expect(try store.query([NostrFilter()]).isEmpty)
    #expect(try store.store(Events.make()) == .stored)
  }

  @Test("a file we wrote stays readable with the reference's own queries")
  func referenceQueriesStillWork() throws {
    let directory = TemporaryDirectory("ref-read")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    let event = Events.make(kind: 10002, tags: [["r", "wss://relay"]])
    _ = try store.store(event)
    store.close()
    try withRawDatabase(directory.databasePath) { db throws in
      let texts = try db.texts(
        "SELECT tags FROM events WHERE pubkey = '\(Events.alice)' AND kind = 10002 ORDER BY created_at DESC")
      #expect(texts == [#"[["r","wss://relay"]]"#])
    }
  }
}
