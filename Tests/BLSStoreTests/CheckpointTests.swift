import BLSTestSupport
import Foundation
import Nostr
import Testing
import Threads

@testable import BLSStore

@Suite("Background checkpoints and the asynchronous store")
struct CheckpointTests {
  /// Stores `count` events of about 2 KB from `threads` threads at once.
  func storeConcurrently(_ store: SQLiteEventStore, threads: Int, count: Int) -> (ids: [String], failures: Int) {
    let ids = Locked<[String]>([])
    let failures = Locked(0)
    let group = DispatchGroup()
    for thread in 0..<threads {
      group.enter()
      Thread.detachNewThread {
        defer { group.leave() }
        for index in stride(from: thread, to: count, by: threads) {
          let event = Events.make(
            createdAt: 1_700_000_000 + Int64(index), tags: [["t", "ckpt"], ["e", Events.hex()]],
            content: String(repeating: "x", count: 2000))
          do {
            guard try store.store(event) == .stored else { return failures.withLock { $0 += 1 } }
            ids.withLock { $0.append(event.id) }
          } catch { failures.withLock { $0 += 1 } }
        }
      }
    }
    group.wait()
    return (ids.withLock { $0 }, failures.withLock { $0 })
  }

  @Test("under sustained writes the WAL stays near the checkpoint interval, and nothing is lost")
  func walBounded() throws {
    let directory = TemporaryDirectory("ckpt")
    defer { directory.remove() }
    let pages: Int32 = 64
    let store = try SQLiteEventStore(
      dataDirectory: directory.path, options: .init(checkpointPages: pages))
    let walPath = directory.databasePath + "-wal"
    let largest = Locked<Int>(0)
    let writing = Locked(true)
    let monitor = DispatchGroup()
    monitor.enter()
    Thread.detachNewThread {
      defer { monitor.leave() }
      while writing.withLock({ $0 }) {
        let size = (try? FileManager.default.attributesOfItem(atPath: walPath)[.size] as? Int) ?? 0
        largest.withLock { $0 = max($0, size) }
        usleep(2000)
      }
    }
    // About 8 MB of events (some 120 MB of WAL frames with their index pages): hundreds of
    // times the interval of 64 pages (256 KiB).
    let (ids, failures) = storeConcurrently(store, threads: 16, count: 4000)
    writing.withLock { $0 = false }
    monitor.wait()
    let statistics = store.statistics
    #expect(failures == 0)
    #expect(statistics.checkpoints > 0, "\(statistics)")
    // Without checkpoints (or with a log that never restarts) the WAL holds every page
    // written: about 120 MB here. With them it stays within a few intervals; the bound leaves
    // room for a checkpoint thread starved of CPU by parallel tests.
    let bound = 64 * Int(pages) * 4096
    #expect(largest.withLock { $0 } < bound, "WAL reached \(largest.withLock { $0 }) bytes; \(statistics)")
    store.close()

    let reopened = try SQLiteEventStore(dataDirectory: directory.path)
    defer { reopened.close() }
    #expect(try reopened.integrityCheck() == ["ok"])
    let stored = Set(try reopened.query([NostrFilter(tags: ["t": ["ckpt"]])]).map(\.id))
    #expect(stored == Set(ids))
  }

  @Test("store(_:completion:) completes once per event, after it is durable; outcomes as store(_:)")
  func asynchronousStore() throws {
    let directory = TemporaryDirectory("async")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    let events = (0..<300).map { Events.make(createdAt: 1_700_000_000 + Int64($0), tags: [["t", "async"]]) }
    let outcomes = Locked<[String: [StoreOutcome]]>([:])
    let unreadable = Locked(0)
    let group = DispatchGroup()
    for event in events + events.prefix(50) {
      group.enter()
      store.store(event) { result in
        defer { group.leave() }
        guard case .success(let outcome) = result else { return unreadable.withLock { $0 += 1 } }
        // Committed before the completion runs: a reader sees it.
        if (try? store.event(id: event.id)) != event { unreadable.withLock { $0 += 1 } }
        outcomes.withLock { $0[event.id, default: []].append(outcome) }
      }
    }
    #expect(group.wait(timeout: .now() + 60) == .success)
    #expect(unreadable.withLock { $0 } == 0)
    let all = outcomes.withLock { $0 }
    #expect(all.count == events.count)
    #expect(all.values.allSatisfy { $0.filter { $0 == .stored }.count == 1 })
    #expect(all.values.map(\.count).reduce(0, +) == 350)
    #expect(store.statistics.commits < 350, "\(store.statistics)")
    store.close()

    let late = Locked<Result<StoreOutcome, EventStoreError>?>(nil)
    store.store(Events.make()) { result in late.withLock { $0 = result } }
    #expect(late.withLock { $0 } == .failure(EventStoreError(code: "closed", message: "the event store is closed")))

    let reopened = try SQLiteEventStore(dataDirectory: directory.path)
    defer { reopened.close() }
    #expect(try reopened.query([NostrFilter(tags: ["t": ["async"]])]).count == events.count)
  }
}
