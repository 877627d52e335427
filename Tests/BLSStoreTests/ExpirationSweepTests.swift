import BLSTestSupport
import Foundation
import Nostr
import Testing
import Threads

@testable import BLSStore

/// Issue 14 item 1, what is SQLite's own: the expiration index and the bounded passes. The
/// rules themselves are stated once for every store in Tests/StoreLifecycleTests.
@Suite("NIP-40: the expiration sweep")
struct ExpirationSweepTests {
  /// A SQLite store and a way to sweep it at a given time.
  struct Subject {
    var store: any EventStore
    var sweep: (Int64) throws -> Int
    var close: () -> Void
  }

  static func sqlite(_ directory: TemporaryDirectory, sweepSeconds: Int = 86400) throws -> Subject {
    let now = Locked<Int64>(0)
    let store = try SQLiteEventStore(
      dataDirectory: directory.path,
      options: .init(expirationSweepSeconds: sweepSeconds, clock: { now.value }))
    return Subject(
      store: store,
      sweep: { time in
        now.withLock { $0 = time }
        return try store.deleteExpiredEvents()
      }, close: { store.close() })
  }

  @Test("the SQLite sweep keeps its index in step, and finds due events through it")
  func indexed() throws {
    let directory = TemporaryDirectory("expire-index")
    defer { directory.remove() }
    let subject = try Self.sqlite(directory)
    defer { subject.close() }
    let expiring = Events.make(tags: [["expiration", "1000"]])
    _ = try subject.store.store(expiring)
    _ = try subject.store.store(Events.make())
    try withRawDatabase(directory.databasePath) { db throws in
      #expect(try db.integer("SELECT expires_at FROM event_expirations WHERE event_id = '\(expiring.id)'") == 1000)
      #expect(try db.integer("SELECT count(*) FROM event_expirations") == 1)
      let explain = try db.prepare("EXPLAIN QUERY PLAN " + Schema.dueExpirationsSQL)
      defer { explain.finalize() }
      try explain.bind([.integer(5), .integer(500)])
      var plan: [String] = []
      while try explain.step() { plan.append(explain.text(3)) }
      #expect(plan == ["SEARCH event_expirations USING COVERING INDEX event_expirations_due (expires_at<?)"])
    }
    _ = try subject.sweep(1000)
    try withRawDatabase(directory.databasePath) { db throws in
      #expect(try db.integer("SELECT count(*) FROM event_expirations") == 0)
    }
  }

  @Test("one pass deletes at most 500; a full sweep works the backlog off pass after pass")
  func boundedPasses() throws {
    let directory = TemporaryDirectory("expire-chunks")
    defer { directory.remove() }
    let now = Locked<Int64>(0)
    let store = try SQLiteEventStore(
      dataDirectory: directory.path, options: .init(expirationSweepSeconds: 86400, clock: { now.value }))
    let events = (0..<1203).map { Events.make(tags: [["expiration", "\(100 + $0 % 7)"]]) }
    let answers = BlockingQueue<Void>()
    for event in events { store.store(event) { _ in answers.push(()) } }
    for _ in events { _ = answers.pop() }
    now.withLock { $0 = 200 }
    #expect(try store.deleteExpiredEvents() == 1203)
    #expect(store.sweepStatistics.passes == 3)
    #expect(store.sweepStatistics.deleted == 1203)
    store.close()

    // One pass alone, on the writer connection: the first 500, earliest expiration first.
    let second = TemporaryDirectory("expire-chunk")
    defer { second.remove() }
    let again = try SQLiteEventStore(dataDirectory: second.path, options: .init(expirationSweepSeconds: 86400))
    for event in events { again.store(event) { _ in answers.push(()) } }
    for _ in events { _ = answers.pop() }
    again.close()
    let db = try SQLiteConnection.open(path: second.databasePath, flags: 0x2)
    defer { db.close() }
    let writer = EventWriter(db: db)
    #expect(try writer.deleteExpired(now: 100, limit: 500).get() == 172)  // the events expiring at 100
    #expect(try writer.deleteExpired(now: 200, limit: 500).get() == 500)
    #expect(try db.integer("SELECT min(expires_at) FROM event_expirations") ?? 0 >= 103)
    #expect(try db.integer("SELECT count(*) FROM events") == 1203 - 672)
  }

}
