import BLSTestSupport
import Nostr
import Testing

@testable import BLSStore

/// Issue 14 item 2, the store side: NIP-09 deletions applied in the deletion's transaction and
/// remembered, by the SQLite store and by the in-memory test store alike.
@Suite("NIP-09: deletions in the store")
struct DeletionTests {
  /// Each store under test, with a closer.
  static func subjects(_ directory: TemporaryDirectory) throws -> [(String, any EventStore, () -> Void)] {
    let sqlite = try SQLiteEventStore(dataDirectory: directory.path)
    let volatile = try SQLiteEventStore(dataDirectory: SQLiteEventStore.memoryDirectory)
    return [
      ("sqlite", sqlite, { sqlite.close() }), ("sqlite :memory:", volatile, { volatile.close() }),
      ("memory", InMemoryEventStore(), {}),
    ]
  }

  static func deletion(pubkey: String = Events.alice, createdAt: Int64 = 100, _ tags: [[String]]) -> NostrEvent {
    Events.make(pubkey: pubkey, createdAt: createdAt, kind: 5, tags: tags)
  }

  @Test("an e tag deletes its author's own event only, and blocks it from coming back")
  func eTags() throws {
    let directory = TemporaryDirectory("nip09-e")
    defer { directory.remove() }
    for (name, store, close) in try Self.subjects(directory) {
      defer { close() }
      let own = Events.make(content: "alice's")
      let bobs = Events.make(pubkey: Events.bob, content: "bob's")
      _ = try store.store(own)
      _ = try store.store(bobs)
      let deletion = Self.deletion([["e", own.id], ["e", bobs.id], ["k", "1"]])
      #expect(try store.store(deletion) == .stored, "\(name)")
      #expect(try store.event(id: own.id) == nil, "\(name)")
      #expect(try store.event(id: bobs.id) != nil, "\(name): another author's event stays")
      #expect(try store.event(id: deletion.id) != nil, "\(name): the deletion is kept")
      #expect(try store.isDeleted(own), "\(name)")
      #expect(try !store.isDeleted(bobs), "\(name)")
      #expect(try store.store(own) == .superseded, "\(name): accepted, not stored")
      #expect(try store.event(id: own.id) == nil, "\(name)")
    }
  }

  @Test("a reopened store still knows its deletions (the lookup is skipped only while none exists)")
  func deletionsSurviveReopening() throws {
    let directory = TemporaryDirectory("nip09-reopen")
    defer { directory.remove() }
    let target = Events.make(content: "deleted before the restart")
    let first = try SQLiteEventStore(dataDirectory: directory.path)
    #expect(try !first.isDeleted(target))
    _ = try first.store(Self.deletion([["e", target.id]]))
    #expect(try first.isDeleted(target))
    first.close()
    let reopened = try SQLiteEventStore(dataDirectory: directory.path)
    defer { reopened.close() }
    #expect(try reopened.isDeleted(target))
    let empty = TemporaryDirectory("nip09-none")
    defer { empty.remove() }
    let fresh = try SQLiteEventStore(dataDirectory: empty.path)
    defer { fresh.close() }
    #expect(try !fresh.isDeleted(target))
  }

  @Test("a deletion that arrives first still blocks its target")
  func deletionFirst() throws {
    let directory = TemporaryDirectory("nip09-first")
    defer { directory.remove() }
    for (name, store, close) in try Self.subjects(directory) {
      defer { close() }
      let target = Events.make()
      _ = try store.store(Self.deletion([["e", target.id]]))
      #expect(try store.isDeleted(target), "\(name)")
      #expect(try store.store(target) == .superseded, "\(name)")
      #expect(try store.event(id: target.id) == nil, "\(name)")
      // The same id under another pubkey is not the author's: not blocked.
      var impostor = target
      impostor.pubkey = Events.bob
      #expect(try !store.isDeleted(impostor), "\(name)")
    }
  }

  @Test("deleting a deletion does nothing: no undelete")
  func deletingADeletion() throws {
    let directory = TemporaryDirectory("nip09-undelete")
    defer { directory.remove() }
    for (name, store, close) in try Self.subjects(directory) {
      defer { close() }
      let target = Events.make()
      _ = try store.store(target)
      let first = Self.deletion([["e", target.id]])
      _ = try store.store(first)
      let second = Self.deletion(createdAt: 101, [["e", first.id]])
      _ = try store.store(second)
      #expect(try store.event(id: first.id) != nil, "\(name)")
      #expect(try !store.isDeleted(first), "\(name)")
      #expect(try store.isDeleted(target), "\(name)")
      #expect(try store.store(target) == .superseded, "\(name)")
    }
  }

  @Test("an a tag deletes its address's versions up to the deletion; newer ones may come")
  func aTags() throws {
    let directory = TemporaryDirectory("nip09-a")
    defer { directory.remove() }
    for (name, store, close) in try Self.subjects(directory) {
      defer { close() }
      let article = Events.make(createdAt: 50, kind: 30023, tags: [["d", "art"]])
      let other = Events.make(createdAt: 50, kind: 30023, tags: [["d", "other"]])
      let profile = Events.make(createdAt: 60, kind: 0)
      let bobsArticle = Events.make(pubkey: Events.bob, createdAt: 50, kind: 30023, tags: [["d", "art"]])
      for event in [article, other, profile, bobsArticle] { _ = try store.store(event) }
      let deletion = Self.deletion([
        ["a", "30023:\(Events.alice):art"], ["a", "0:\(Events.alice):"], ["a", "30023:\(Events.bob):art"],
      ])
      _ = try store.store(deletion)
      #expect(try store.event(id: article.id) == nil, "\(name)")
      #expect(try store.event(id: profile.id) == nil, "\(name)")
      #expect(try store.event(id: other.id) != nil, "\(name): another d")
      #expect(try store.event(id: bobsArticle.id) != nil, "\(name): another author's address")
      let atDeletion = Events.make(createdAt: 100, kind: 30023, tags: [["d", "art"]])
      let newer = Events.make(createdAt: 101, kind: 30023, tags: [["d", "art"]])
      #expect(try store.isDeleted(atDeletion), "\(name): not newer than the deletion")
      #expect(try store.store(atDeletion) == .superseded, "\(name)")
      #expect(try !store.isDeleted(newer), "\(name)")
      #expect(try store.store(newer) == .stored, "\(name)")
      #expect(try store.store(Events.make(createdAt: 100, kind: 0)) == .superseded, "\(name)")
      #expect(try store.store(Events.make(createdAt: 101, kind: 0)) == .stored, "\(name)")
      // An older deletion of the same address does not move its mark back.
      _ = try store.store(Self.deletion(createdAt: 80, [["a", "30023:\(Events.alice):other"]]))
      _ = try store.store(Self.deletion(createdAt: 70, [["a", "30023:\(Events.alice):art"]]))
      #expect(try store.isDeleted(Events.make(createdAt: 90, kind: 30023, tags: [["d", "art"]])), "\(name)")
      #expect(try store.event(id: other.id) == nil, "\(name): deleted at 80")
      // A newer version than the deletion, stored before it, survives it.
      let ahead = Events.make(createdAt: 500, kind: 30023, tags: [["d", "later"]])
      _ = try store.store(ahead)
      _ = try store.store(Self.deletion(createdAt: 400, [["a", "30023:\(Events.alice):later"]]))
      #expect(try store.event(id: ahead.id) != nil, "\(name)")
    }
  }

  @Test("in one batch, in either order, a deletion wins over its target")
  func sameBatch() throws {
    let directory = TemporaryDirectory("nip09-batch")
    defer { directory.remove() }
    _ = try SQLiteEventStore(dataDirectory: directory.path).close()
    let db = try SQLiteConnection.open(path: directory.databasePath, flags: 0x2)
    defer { db.close() }
    let writer = EventWriter(db: db)
    let first = Events.make()
    let second = Events.make()
    let result = writer.apply(
      [first, Self.deletion([["e", first.id], ["e", second.id]]), second], receivedAt: 1)
    #expect(result.committed)
    #expect(result.results.compactMap { try? $0.get() } == [.stored, .stored, .superseded])
    #expect(try db.integer("SELECT count(*) FROM events WHERE id IN ('\(first.id)', '\(second.id)')") == 0)
  }

  @Test("the check is two primary-key searches")
  func indexed() throws {
    let directory = TemporaryDirectory("nip09-plan")
    defer { directory.remove() }
    _ = try SQLiteEventStore(dataDirectory: directory.path).close()
    try withRawDatabase(directory.databasePath) { db throws in
      for (sql, expected) in [
        (
          "SELECT 1 FROM event_deletions WHERE event_id = ? AND pubkey = ?",
          "SEARCH event_deletions USING PRIMARY KEY (event_id=? AND pubkey=?)"
        ),
        (
          "SELECT 1 FROM address_deletions WHERE pubkey = ? AND kind = ? AND d = ? AND deleted_through >= ?",
          "SEARCH address_deletions USING PRIMARY KEY (pubkey=? AND kind=? AND d=?)"
        ),
      ] {
        let explain = try db.prepare("EXPLAIN QUERY PLAN " + sql)
        defer { explain.finalize() }
        var plan: [String] = []
        while try explain.step() { plan.append(explain.text(3)) }
        #expect(plan == [expected])
      }
    }
  }
}
