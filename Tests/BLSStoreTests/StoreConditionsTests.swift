import Foundation
import Nostr
import Synchronization
import Testing

@testable import BLSStore

/// Nothing stored unless paid: an event whose request was abandoned, or whose deadline passed,
/// while the disk was stalled is left out of the next batch — the only one stored is the event
/// already in the batch being committed.
@Suite("StoreConditions: abandoned and late events are not stored")
struct StoreConditionsTests {
  /// A result a test waits for.
  final class Outcome: Sendable {
    private let value = Mutex<Result<StoreOutcome, EventStoreError>?>(nil)
    func set(_ result: Result<StoreOutcome, EventStoreError>) { value.withLock { $0 = result } }
    func wait(seconds: Double = 10) -> Result<StoreOutcome, EventStoreError>? {
      let end = Date().addingTimeInterval(seconds)
      while Date() < end {
        if let result = value.withLock({ $0 }) { return result }
        usleep(5000)
      }
      return nil
    }
  }

  @Test("a dropped event is counted before its caller is answered (metrics read after the answer reconcile)")
  func droppedCountedBeforeAnswer() throws {
    let directory = TemporaryDirectory("conditions-count")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    defer { store.close() }
    let countSeenByCaller = Mutex<Int?>(nil)
    let answered = Outcome()
    store.store(Events.make(content: "abandoned before it was taken"), conditions: StoreConditions { true }) {
      countSeenByCaller.withLock { $0 = store.statistics.droppedBeforeCommit }
      answered.set($0)
    }
    let result = try #require(answered.wait())
    if case .failure(let error) = result {
      #expect(error.code == EventStoreError.abandonedCode)
    } else {
      Issue.record("an abandoned event was stored")
    }
    #expect(countSeenByCaller.withLock { $0 } == 1)
  }

  @Test("a stalled disk: the batch in flight is stored, events abandoned or late meanwhile are not")
  func stalledDisk() throws {
    let directory = TemporaryDirectory("conditions")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    defer { store.close() }
    // Another connection holds the write lock: the writer's next commit waits (busy timeout 5 s).
    let blocker = try SQLiteConnection.open(path: directory.databasePath, flags: 0x2)
    defer { blocker.close() }
    try blocker.execute("BEGIN IMMEDIATE")

    let inFlight = Events.make(content: "taken into a batch before the stall")
    let first = Outcome()
    store.store(inFlight, conditions: .always) { first.set($0) }
    usleep(200_000)  // the writer has taken it and waits on the lock

    let abandonedFlag = Atomic<Bool>(false)
    let abandoned = Events.make(content: "its request went away")
    let late = Events.make(content: "its deadline passed")
    let kept = Events.make(content: "still wanted")
    let (second, third, fourth) = (Outcome(), Outcome(), Outcome())
    store.store(abandoned, conditions: StoreConditions { abandonedFlag.load(ordering: .acquiring) }) { second.set($0) }
    store.store(late, conditions: StoreConditions(deadline: StoreConditions.wallClockMillis() + 100)) { third.set($0) }
    store.store(kept, conditions: StoreConditions(deadline: StoreConditions.wallClockMillis() + 60_000)) {
      fourth.set($0)
    }
    abandonedFlag.store(true, ordering: .releasing)
    usleep(300_000)  // past the late one's deadline
    try blocker.execute("COMMIT")

    #expect(try first.wait()?.get() == .stored)
    #expect(second.wait().flatMap { try? $0.get() } == nil)
    if case .failure(let error)? = second.wait() { #expect(error.code == EventStoreError.abandonedCode) }
    if case .failure(let error)? = third.wait() { #expect(error.code == EventStoreError.deadlineExceededCode) }
    #expect(try fourth.wait()?.get() == .stored)
    #expect(try store.event(id: inFlight.id) != nil)
    #expect(try store.event(id: abandoned.id) == nil)
    #expect(try store.event(id: late.id) == nil)
    #expect(try store.event(id: kept.id) != nil)
    #expect(store.statistics.droppedBeforeCommit == 2)
  }
}
