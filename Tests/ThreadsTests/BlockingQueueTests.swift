import Testing
import Threads

@Suite("BlockingQueue")
struct BlockingQueueTests {
  @Test("items come out in the order they went in")
  func fifo() {
    let queue = BlockingQueue<Int>()
    for item in 0..<200 { queue.push(item) }
    #expect((0..<200).map { _ in queue.pop() } == Array(0..<200))
  }

  @Test("after close: pushes are refused, what was queued drains, then pop gives nil")
  func close() {
    let queue = BlockingQueue<String>()
    queue.push("a")
    queue.close()
    #expect(queue.push("b") == false)
    #expect(queue.pop() == "a")
    #expect(queue.pop() == nil)
  }

  @Test("a consumer blocked in pop gets an item pushed from another thread (a one-shot hand-off)")
  func handOff() throws {
    let queue = BlockingQueue<Int>()
    let answer = BlockingQueue<Int?>()
    let consumer = try PosixThread { answer.push(queue.pop()) }
    queue.push(42)
    consumer.join()
    #expect(answer.pop() == 42)
  }

  @Test("close wakes every blocked consumer with nil")
  func closeWakesConsumers() throws {
    let queue = BlockingQueue<Int>()
    let results = Locked([Int?]())
    let consumers = try (0..<3).map { _ in
      try PosixThread {
        let item = queue.pop()
        results.withLock { $0.append(item) }
      }
    }
    queue.close()
    for consumer in consumers { consumer.join() }
    #expect(results.value.count == 3)
    #expect(results.value.allSatisfy { $0 == nil })
  }
}
