import Testing
import Threads

@Suite("PosixThread")
struct PosixThreadTests {
  @Test("the body runs on its thread, and join waits for it to finish")
  func runsAndJoins() throws {
    let ran = Locked(false)
    let thread = try PosixThread { ran.withLock { $0 = true } }
    thread.join()
    #expect(ran.value)
    thread.join()  // a second join is a no-op
  }

  @Test("a detached thread still runs")
  func detached() throws {
    let done = BlockingQueue<Bool>()
    let thread = try PosixThread { done.push(true) }
    thread.detach()
    #expect(done.pop() == true)
  }
}
