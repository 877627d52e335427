import Testing
import Threads

@Suite("Locked: state inside its lock, waits for it to change")
struct LockedTests {
  @Test("withLock changes the state; value reads a copy")
  func withLock() {
    let counter = Locked(0)
    let returned = counter.withLock { value -> Int in
      value += 2
      return value * 10
    }
    #expect(returned == 20)
    #expect(counter.value == 2)
  }

  @Test("a waiter wakes once the state it waits for arrives, and runs its body with the lock held")
  func waitUntil() throws {
    let state = Locked((step: 0, seen: [Int]()))
    let waiter = try PosixThread {
      state.wait(until: { $0.step == 3 }) { $0.seen.append($0.step) }
    }
    for _ in 0..<3 {
      state.withLock { $0.step += 1 }
      state.wakeWaiters()
    }
    waiter.join()
    #expect(state.value.seen == [3], "the body ran once, at step 3")
  }

  @Test("a timed wait returns when the time is up, saying the state never came")
  func timedWaitTimesOut() {
    let state = Locked(0)
    let ready = state.wait(until: { $0 == 1 }, timeoutMilliseconds: 20) { _, ready in ready }
    #expect(!ready)
    #expect(state.wait(until: { $0 == 0 }, timeoutMilliseconds: 0) { _, ready in ready })
  }

  @Test("a timed wait wakes when the state arrives")
  func timedWaitWakes() throws {
    let state = Locked(0)
    let seen = Locked<Bool?>(nil)
    let waiter = try PosixThread {
      // Long enough never to run out on a loaded machine: only the change can end it.
      let ready = state.wait(until: { $0 == 1 }, timeoutMilliseconds: 600_000) { _, ready in ready }
      seen.withLock { $0 = ready }
    }
    state.withLock { $0 = 1 }
    state.wakeWaiters()
    waiter.join()
    #expect(seen.value == true)
  }

  @Test("many threads adding under the lock lose no update")
  func noLostUpdates() throws {
    let total = Locked(0)
    let threads = try (0..<8).map { _ in
      try PosixThread { for _ in 0..<1000 { total.withLock { $0 += 1 } } }
    }
    for thread in threads { thread.join() }
    #expect(total.value == 8000)
  }

  @Test("an error thrown in withLock leaves the lock usable")
  func throwingBody() {
    struct Refused: Error {}
    let state = Locked(1)
    #expect(throws: Refused.self) { try state.withLock { (_: inout Int) throws(Refused) in throw Refused() } }
    #expect(state.withLock { $0 } == 1)
  }
}
