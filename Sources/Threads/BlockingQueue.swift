/// A first-in first-out queue that blocks consumers until an item arrives or the queue is
/// closed (the FastCGI drain waits on one for a deferred response).
public final class BlockingQueue<Element>: @unchecked Sendable {
  private let lock = ConditionLock()
  // Guarded by `lock`:
  private var items: [Element] = []
  private var head = 0
  private var closed = false

  public init() {}

  /// Appends `item`; returns `false` (and drops nothing) when the queue is closed.
  @discardableResult
  public func push(_ item: Element) -> Bool {
    lock.withLock {
      guard !closed else { return false }
      items.append(item)
      lock.signal()
      return true
    }
  }

  /// The oldest item, waiting for one; `nil` once the queue is closed and empty.
  public func pop() -> Element? {
    lock.lock()
    defer { lock.unlock() }
    while head == items.count && !closed { lock.wait() }
    guard head < items.count else { return nil }
    let item = items[head]
    head += 1
    if head > 64 && head * 2 > items.count {
      items.removeFirst(head)
      head = 0
    }
    return item
  }

  /// Refuses further pushes; consumers drain what is queued, then get `nil`.
  public func close() {
    lock.withLock {
      closed = true
      lock.broadcast()
    }
  }
}
