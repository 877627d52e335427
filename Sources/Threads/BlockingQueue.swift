/// A first-in first-out queue that blocks consumers until an item arrives or the queue is
/// closed. With one push and one pop it is also a one-shot hand-off: how a thread waits for
/// an answer another thread delivers (a deferred response, a store's completion).
public final class BlockingQueue<Element: Sendable>: Sendable {
  private struct State {
    var items: [Element] = []
    var head = 0
    var closed = false
    var isEmpty: Bool { head == items.count }
  }

  private let state = Locked(State())

  public init() {}

  /// Appends `item`; returns `false` (and drops nothing) when the queue is closed.
  @discardableResult
  public func push(_ item: Element) -> Bool {
    let pushed = state.withLock { state in
      guard !state.closed else { return false }
      state.items.append(item)
      return true
    }
    if pushed { state.wakeWaiters() }
    return pushed
  }

  /// The oldest item, waiting for one; `nil` once the queue is closed and empty.
  public func pop() -> Element? {
    state.wait(until: { !$0.isEmpty || $0.closed }) { state in
      guard !state.isEmpty else { return nil }
      let item = state.items[state.head]
      state.head += 1
      if state.head > 64 && state.head * 2 > state.items.count {
        state.items.removeFirst(state.head)
        state.head = 0
      }
      return item
    }
  }

  /// Refuses further pushes; consumers drain what is queued, then get `nil`.
  public func close() {
    state.withLock { $0.closed = true }
    state.wakeWaiters()
  }
}
