import BLSTestSupport
import Foundation
import Nostr
import Testing
import Threads

@testable import BLSStore

/// Issue 14 item 1, the store side: stored events with a NIP-40 expiration are indexed by time
/// and deleted by the writer's sweep, a bounded chunk per pass; the in-memory test store
/// follows the same rules.
@Suite("NIP-40: the expiration sweep")
struct ExpirationSweepTests {
  /// A store and a way to sweep it at a given time, SQLite or in memory.
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

  static func memory() -> Subject {
    let store = InMemoryEventStore()
    return Subject(store: store, sweep: { store.deleteExpiredEvents(now: $0) }, close: {})
  }

  static func subjects(_ directory: TemporaryDirectory) throws -> [(String, Subject)] {
    [("sqlite", try sqlite(directory)), ("memory", memory())]
  }

  @Test("an event is deleted once its expiration is reached, not before; others stay")
  func deletedWhenDue() throws {
    let directory = TemporaryDirectory("expire")
    defer { directory.remove() }
    for (name, subject) in try Self.subjects(directory) {
      defer { subject.close() }
      let soon = Events.make(tags: [["expiration", "1000"]])
      let later = Events.make(tags: [["expiration", "2000"]])
      let forever = Events.make()
      let malformed = Events.make(tags: [["expiration", "x"]])
      for event in [soon, later, forever, malformed] { _ = try subject.store.store(event) }
      #expect(try subject.sweep(999) == 0, "\(name)")
      #expect(try subject.store.event(id: soon.id) != nil, "\(name)")
      #expect(try subject.sweep(1000) == 1, "\(name)")
      #expect(try subject.store.event(id: soon.id) == nil, "\(name)")
      #expect(try subject.store.event(id: later.id) != nil, "\(name)")
      #expect(try subject.sweep(5000) == 1, "\(name)")
      #expect(try subject.store.query([NostrFilter()]).map(\.id).sorted() == [forever.id, malformed.id].sorted())
      #expect(try subject.sweep(Int64.max) == 0, "\(name)")
    }
  }

  @Test("a replaced event takes its expiration with it; the new version's counts")
  func replacement() throws {
    let directory = TemporaryDirectory("expire-replace")
    defer { directory.remove() }
    for (name, subject) in try Self.subjects(directory) {
      defer { subject.close() }
      let old = Events.make(createdAt: 10, kind: 0, tags: [["expiration", "1000"]])
      let new = Events.make(createdAt: 11, kind: 0, tags: [["expiration", "3000"]])
      _ = try subject.store.store(old)
      _ = try subject.store.store(new)
      #expect(try subject.sweep(2000) == 0, "\(name)")
      #expect(try subject.store.event(id: new.id) != nil, "\(name)")
      #expect(try subject.sweep(3000) == 1, "\(name)")
      // The address is free again: an older version may be stored now.
      #expect(try subject.store.store(old) == .stored, "\(name)")
    }
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

  @Test("the writer sweeps on its own every BLS_EXPIRATION_SWEEP_SECONDS")
  func periodic() throws {
    let directory = TemporaryDirectory("expire-periodic")
    defer { directory.remove() }
    let store = try SQLiteEventStore(
      dataDirectory: directory.path, options: .init(expirationSweepSeconds: 1, clock: { 1_000_000 }))
    defer { store.close() }
    let expiring = Events.make(tags: [["expiration", "999999"]])
    let kept = Events.make(tags: [["expiration", "1000001"]])
    _ = try store.store(expiring)
    _ = try store.store(kept)
    // Waits for the sweep, not a time: a pass runs about a second after open, whatever the
    // load; the bound only stops a broken sweep from hanging the run.
    let giveUp = Date().addingTimeInterval(60)
    while try store.event(id: expiring.id) != nil, Date() < giveUp { usleep(20_000) }
    #expect(try store.event(id: expiring.id) == nil)
    #expect(try store.event(id: kept.id) != nil)
    #expect(store.sweepStatistics.passes >= 1)
  }
}
