import BLSTestSupport
import Foundation
import Nostr
import Synchronization
import Testing

/// Nothing stored unless paid, for each store with a writer queue (``Backend/queued``): an
/// event whose request was abandoned, or whose deadline passed, while the writer was held is
/// left out of the next batch — the only one stored is the event already in the batch being
/// committed.
@Suite("StoreConditions: abandoned and late events are not stored, in every queued store")
struct StoreConditionsTests {
  /// A result a test waits for.
  final class Outcome: Sendable {
    private let value = Mutex<Result<StoreOutcome, EventStoreError>?>(nil)
    func set(_ result: Result<StoreOutcome, EventStoreError>) { value.withLock { $0 = result } }
    func wait(seconds: Double = 30) -> Result<StoreOutcome, EventStoreError>? {
      let end = Date().addingTimeInterval(seconds)
      while Date() < end {
        if let result = value.withLock({ $0 }) { return result }
        usleep(5000)
      }
      return nil
    }
  }

  @Test(
    "a dropped event is counted before its caller is answered (metrics read after the answer reconcile)",
    arguments: Backend.queued)
  func droppedCountedBeforeAnswer(_ backend: Backend) throws {
    let subject = try backend.open()
    defer { subject.close() }
    // The counter is read on the writer thread, as a metrics scrape would read it.
    nonisolated(unsafe) let dropped = subject.dropped
    let countSeenByCaller = Mutex<Int?>(nil)
    let answered = Outcome()
    subject.store.store(
      Events.make(content: "abandoned before it was taken"), conditions: StoreConditions { true }
    ) {
      countSeenByCaller.withLock { $0 = dropped() }
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

  @Test(
    "a held writer: the batch in flight is stored, events abandoned or late meanwhile are not",
    arguments: Backend.queued)
  func heldWriter(_ backend: Backend) throws {
    let subject = try backend.open()
    defer { subject.close() }
    let store = subject.store
    let stall = try #require(subject.stall)
    let release = try stall()

    let inFlight = Events.make(content: "taken into a batch before the stall")
    let first = Outcome()
    store.store(inFlight, conditions: .always) { first.set($0) }
    subject.awaitHeld()  // the writer has taken it and waits

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
    release()

    #expect(try first.wait()?.get() == .stored)
    guard case .failure(let abandonment)? = second.wait() else {
      Issue.record("the abandoned event was not refused")
      return
    }
    #expect(abandonment.code == EventStoreError.abandonedCode)
    guard case .failure(let lateness)? = third.wait() else {
      Issue.record("the late event was not refused")
      return
    }
    #expect(lateness.code == EventStoreError.deadlineExceededCode)
    #expect(try fourth.wait()?.get() == .stored)
    #expect(try store.event(id: inFlight.id) != nil)
    #expect(try store.event(id: abandoned.id) == nil)
    #expect(try store.event(id: late.id) == nil)
    #expect(try store.event(id: kept.id) != nil)
    #expect(subject.dropped() == 2)
  }
}
