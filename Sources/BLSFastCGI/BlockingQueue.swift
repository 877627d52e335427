#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A first-in first-out queue that blocks consumers until an item arrives or the queue is
/// closed. The drain after a stop waits on one for a deferred response; built on a pthread mutex and condition
/// variable so the transport needs no Foundation.
final class BlockingQueue<Element>: @unchecked Sendable {
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  private var items: [Element] = []
  private var head = 0
  private var closed = false

  init() {
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(condition, nil)
  }

  deinit {
    pthread_cond_destroy(condition)
    pthread_mutex_destroy(mutex)
    condition.deallocate()
    mutex.deallocate()
  }

  /// Appends `item`; returns `false` (and drops nothing) when the queue is closed.
  @discardableResult
  func push(_ item: Element) -> Bool {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    guard !closed else { return false }
    items.append(item)
    pthread_cond_signal(condition)
    return true
  }

  /// The oldest item, waiting for one; `nil` once the queue is closed and empty.
  func pop() -> Element? {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    while head == items.count && !closed {
      pthread_cond_wait(condition, mutex)
    }
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
  func close() {
    pthread_mutex_lock(mutex)
    closed = true
    pthread_cond_broadcast(condition)
    pthread_mutex_unlock(mutex)
  }
}
