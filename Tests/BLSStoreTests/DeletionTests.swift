import BLSTestSupport
import Nostr
import Testing

@testable import BLSStore

/// Issue 14 item 2, what is SQLite's own: deletions survive reopening, one batch's outcomes, and
/// the index searches. The rules themselves are stated once for every store in
/// Tests/StoreLifecycleTests.
@Suite("NIP-09: deletions in the store")
struct DeletionTests {
  static func deletion(pubkey: String = Events.alice, createdAt: Int64 = 100, _ tags: [[String]]) -> NostrEvent {
    Events.make(pubkey: pubkey, createdAt: createdAt, kind: 5, tags: tags)
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
