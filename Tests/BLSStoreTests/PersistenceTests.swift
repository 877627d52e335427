import Foundation
import Nostr
import Testing

@testable import BLSStore

@Suite("Persistence: what is stored comes back, byte for byte, after a restart")
struct PersistenceTests {
  @Test("every valid vector event round-trips through a closed and reopened file")
  func vectorsRoundTrip() throws {
    let directory = TemporaryDirectory("vectors")
    defer { directory.remove() }
    let vectors = try FixtureVectors.validEvents()
    #expect(vectors.count > 50)

    let store = try SQLiteEventStore(dataDirectory: directory.path)
    var expected: [String: NostrEvent] = [:]
    for (name, event) in vectors {
      let outcome = try store.store(event)
      // Replaceable and addressable vectors of one author may supersede each other.
      #expect(outcome != .duplicate, "vector \(name)")
      if outcome == .stored { expected[event.id] = event }
    }
    store.close()

    let reopened = try SQLiteEventStore(dataDirectory: directory.path)
    defer { reopened.close() }
    for (id, event) in expected {
      let read = try reopened.event(id: id)
      #expect(read == event, "event \(id) changed on the way through SQLite")
    }
    #expect(try reopened.integrityCheck() == ["ok"])
  }

  @Test("content with NUL, control characters and astral code points is stored exactly")
  func awkwardContent() throws {
    let store = try SQLiteEventStore(databasePath: nil)
    defer { store.close() }
    let content = "a\u{0}b\u{1}\u{1F}\u{7F}\u{2028}🚀\"\\\n"
    let event = Events.make(tags: [["t", "x\u{0}y"], [], ["e"], ["", ""]], content: content)
    #expect(try store.store(event) == .stored)
    #expect(try store.event(id: event.id) == event)
  }

  @Test("a duplicate id is accepted again and changes nothing")
  func duplicate() throws {
    let store = try SQLiteEventStore(databasePath: nil)
    defer { store.close() }
    let event = Events.make()
    #expect(try store.store(event) == .stored)
    #expect(try store.store(event) == .duplicate)
    var altered = event
    altered.content = "different"
    #expect(try store.store(altered) == .duplicate)
    #expect(try store.event(id: event.id)?.content == "hello")
    #expect(try store.query([NostrFilter()]).count == 1)
  }

  @Test("an unknown id reads as nil")
  func missing() throws {
    let store = try SQLiteEventStore(databasePath: nil)
    defer { store.close() }
    #expect(try store.event(id: Events.hex()) == nil)
  }

  @Test("the reference's columns hold what its tools expect: JSON tags, Unix-second times")
  func referenceColumns() throws {
    let directory = TemporaryDirectory("columns")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    let event = Events.make(kind: 7, tags: [["e", "x"], ["p", "y", "wss://r"]], content: "+")
    let before = Int64(Date().timeIntervalSince1970)
    _ = try store.store(event)
    let after = Int64(Date().timeIntervalSince1970)
    store.close()

    try withRawDatabase(directory.databasePath) { db throws in
      let row = try db.prepare(
        "SELECT id, pubkey, kind, content, tags, created_at, sig, received_at FROM events")
      defer { row.finalize() }
      #expect(try row.step())
      #expect(row.text(0) == event.id)
      #expect(row.text(1) == event.pubkey)
      #expect(row.int64(2) == 7)
      #expect(row.text(3) == "+")
      #expect(row.text(4) == #"[["e","x"],["p","y","wss://r"]]"#)
      #expect(row.int64(5) == event.createdAt)
      #expect(row.text(6) == event.sig)
      #expect((before...after).contains(row.int64(7)))
      #expect(try db.integer("PRAGMA user_version") == Schema.currentVersion)
      #expect(try db.texts("PRAGMA journal_mode") == ["wal"])
    }
  }

  @Test("close() checkpoints the WAL into the database file and later stores fail with closed")
  func closeCheckpoints() throws {
    let directory = TemporaryDirectory("close")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    for _ in 0..<50 { _ = try store.store(Events.make(id: Events.hex())) }
    store.close()
    let wal = (try? FileManager.default.attributesOfItem(atPath: directory.databasePath + "-wal"))?[.size]
    #expect(wal == nil || (wal as? Int) == 0, "WAL left with \(String(describing: wal)) bytes")
    #expect(throws: EventStoreError.self) { try store.store(Events.make()) }
    do {
      _ = try store.store(Events.make())
    } catch {
      #expect(error.code == "closed")
    }
    store.close()  // idempotent
  }
}
