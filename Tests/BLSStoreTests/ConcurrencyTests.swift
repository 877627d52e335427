import BLSTestSupport
import Foundation
import Nostr
import Testing
import Threads

@testable import BLSStore

@Suite("Group commit: many threads, one writer, batches isolated per event")
struct ConcurrencyTests {
  /// Runs `body(thread)` on `count` threads at once and waits for all.
  func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for thread in 0..<count {
      group.enter()
      Thread.detachNewThread {
        body(thread)
        group.leave()
      }
    }
    group.wait()
  }

  @Test("32 threads store concurrently: every event stored once, commits carry many events")
  func groupCommit() throws {
    let directory = TemporaryDirectory("group")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    defer { store.close() }
    let failures = Locked(0)
    let readerRows = Locked(0)
    let perThread = 40
    onThreads(36) { thread in
      if thread >= 32 {
        // Readers alongside the writers: never blocked, never see partial batches.
        for _ in 0..<50 {
          do {
            let rows = try store.query([NostrFilter(tags: ["t": ["group"]], limit: 100)])
            readerRows.withLock { $0 += rows.count }
          } catch { failures.withLock { $0 += 1 } }
        }
        return
      }
      for index in 0..<perThread {
        let event = Events.make(createdAt: Int64(index), tags: [["t", "group"]], content: "\(thread)/\(index)")
        do {
          guard try store.store(event) == .stored else { return failures.withLock { $0 += 1 } }
          // Read-your-write: durable and visible the moment store returns.
          guard try store.event(id: event.id) == event else { return failures.withLock { $0 += 1 } }
        } catch { failures.withLock { $0 += 1 } }
      }
    }
    #expect(failures.withLock { $0 } == 0)
    let stats = store.statistics
    #expect(stats.events == 32 * perThread)
    #expect(stats.failedBatches == 0)
    #expect(stats.maxBatch > 1, "no two events ever shared a commit: \(stats)")
    #expect(stats.commits < stats.events, "\(stats)")
    #expect(stats.histogram.reduce(0, +) == stats.commits)
    #expect(try store.query([NostrFilter(tags: ["t": ["group"]])]).count == 32 * perThread)
    print("group commit, 32 threads: \(stats)")
  }

  @Test("DATA_DIR=:memory: is safe under concurrent writers and readers")
  func memoryStoreConcurrency() throws {
    let store = try SQLiteEventStore(dataDirectory: ":memory:")
    let failures = Locked(0)
    onThreads(12) { thread in
      for index in 0..<50 {
        do {
          if thread % 3 == 0 {
            _ = try store.query([NostrFilter(kinds: [1], limit: 20)])
          } else {
            let event = Events.make(createdAt: Int64(index))
            guard try store.store(event) == .stored, try store.event(id: event.id) == event else {
              return failures.withLock { $0 += 1 }
            }
          }
        } catch { failures.withLock { $0 += 1 } }
      }
    }
    #expect(failures.withLock { $0 } == 0)
    #expect(try store.query([NostrFilter()]).count == 8 * 50)
    store.close()
    #expect(throws: EventStoreError.self) { try store.query([NostrFilter()]) }
  }

  @Test("one failing event in a batch fails alone; the rest of the batch commits")
  func failingEventIsIsolated() throws {
    let directory = TemporaryDirectory("isolate")
    defer { directory.remove() }
    // An operator's trigger that rejects some events: a real per-event SQLite failure.
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    store.close()
    try withRawDatabase(directory.databasePath) { db throws in
      try db.execute(
        "CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.content = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END"
      )
    }

    // Deterministic: one batch of three through the writer itself.
    let db = try SQLiteConnection.open(path: directory.databasePath, flags: 0x2)
    let good1 = Events.make(content: "good")
    let poison = Events.make(content: "poison")
    let good2 = Events.make(content: "good")
    let batch = EventWriter(db: db).apply([good1, poison, good2], receivedAt: 1)
    db.close()
    #expect(batch.committed)
    #expect(batch.results.count == 3)
    #expect((try? batch.results[0].get()) == .stored)
    #expect((try? batch.results[2].get()) == .stored)
    if case .failure(let error) = batch.results[1] {
      #expect(error.code == "constraint")
      #expect(error.message.contains("poisoned"))
    } else {
      Issue.record("the poisoned event was stored")
    }

    // Through the store, from many threads: poisoned callers get an error, others are stored.
    let reopened = try SQLiteEventStore(dataDirectory: directory.path)
    defer { reopened.close() }
    #expect(try reopened.event(id: good1.id) != nil)
    #expect(try reopened.event(id: good2.id) != nil)
    #expect(try reopened.event(id: poison.id) == nil)
    let outcomes = Locked([String: String]())
    onThreads(16) { thread in
      for index in 0..<10 {
        let event = Events.make(content: index == thread % 10 ? "poison" : "ok")
        let outcome: String
        do throws(EventStoreError) {
          outcome = "\(try reopened.store(event))"
        } catch {
          outcome = error.code
        }
        outcomes.withLock { $0[event.id + event.content] = outcome }
      }
    }
    let all = outcomes.withLock { $0 }
    #expect(all.filter { $0.key.hasSuffix("poison") }.allSatisfy { $0.value == "constraint" })
    #expect(all.filter { $0.key.hasSuffix("ok") }.allSatisfy { $0.value == "stored" })
    #expect(all.filter { $0.key.hasSuffix("ok") }.count == 16 * 9)
    #expect(reopened.statistics.failedBatches == 0)
  }

  @Test("an open read transaction does not block the writer (WAL snapshot isolation)")
  func readersDoNotBlockWriter() throws {
    let directory = TemporaryDirectory("snapshot")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path, options: .init(busyTimeoutMilliseconds: 100))
    defer { store.close() }
    _ = try store.store(Events.make())
    let reader = try SQLiteConnection.open(path: directory.databasePath, flags: 0x1)  // READONLY
    defer { reader.close() }
    try reader.execute("BEGIN")
    #expect(try reader.integer("SELECT count(*) FROM events") == 1)
    let start = Date()
    for _ in 0..<10 { #expect(try store.store(Events.make()) == .stored) }
    #expect(Date().timeIntervalSince(start) < 5)
    // The reader still sees its snapshot; new readers see the new events.
    #expect(try reader.integer("SELECT count(*) FROM events") == 1)
    #expect(try store.query([NostrFilter()]).count == 11)
    try reader.execute("COMMIT")
  }

  @Test("the commit delay: a batch already holding two events waits, and an event arriving meanwhile joins it")
  func commitDelayGathers() throws {
    let directory = TemporaryDirectory("commit-delay")
    defer { directory.remove() }
    var options = SQLiteEventStore.Options()
    // Long, so that the third event surely arrives within it; the server's default is 300 µs.
    options.commitDelay = CommitDelay(microseconds: 2_000_000)
    let store = try SQLiteEventStore(dataDirectory: directory.path, options: options)
    defer { store.close() }
    // Hold the writer: another connection owns the write lock, so the first event's batch waits
    // in BEGIN IMMEDIATE (the busy timeout) while two more queue behind it.
    let blocker = try SQLiteConnection.open(path: directory.databasePath, flags: 0x2)
    try blocker.execute("BEGIN IMMEDIATE")
    let answers = BlockingQueue<(Int, Result<StoreOutcome, EventStoreError>)>()
    let events = (0..<4).map { Events.make(content: "delay \($0)") }
    func submit(_ index: Int) { store.store(events[index]) { answers.push((index, $0)) } }
    submit(0)
    while store.committer.queueDepth > 0 { usleep(1000) }  // taken into a batch, waiting for the lock
    submit(1)
    submit(2)
    try blocker.execute("COMMIT")
    blocker.close()
    // The first batch (one event: no pause) commits; the writer then takes the two waiting
    // events and pauses, and the fourth, sent once the first is answered, joins them.
    let first = answers.pop()!
    #expect(first.0 == 0)
    submit(3)
    var rest: [Int] = []
    for _ in 0..<3 {
      let (index, result) = answers.pop()!
      #expect((try? result.get()) == .stored)
      rest.append(index)
    }
    #expect(rest.sorted() == [1, 2, 3])
    let stats = store.statistics
    #expect(stats.commits == 2, "\(stats)")
    #expect(stats.maxBatch == 3, "\(stats)")
  }
}
