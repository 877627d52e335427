import Glibc

/// State shared between threads, reachable only with its lock held: a value inside a pthread
/// mutex, with one condition variable for threads that wait for the state to change
/// (Synchronization's `Mutex` has none). Where nobody waits, use `Mutex` itself.
///
/// The one idiom for shared state here: change it in ``withLock(_:)``, then
/// ``wakeWaiters()``; wait for it with ``wait(until:then:)``, which re-checks its condition
/// after every wake-up (spurious ones included).
public final class Locked<State>: @unchecked Sendable {
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private let condition: UnsafeMutablePointer<pthread_cond_t>
  private var state: State

  public init(_ state: State) {
    self.state = state
    mutex = .allocate(capacity: 1)
    pthread_mutex_init(mutex, nil)
    condition = .allocate(capacity: 1)
    pthread_cond_init(condition, nil)
  }

  deinit {
    pthread_cond_destroy(condition)
    condition.deallocate()
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// A copy of the state.
  public var value: State { withLock { $0 } }

  /// Runs `body` on the state with the lock held.
  public func withLock<T, E: Error>(_ body: (inout State) throws(E) -> T) throws(E) -> T {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&state)
  }

  /// Waits until `ready` holds for the state, then runs `body` on it, the lock held from the
  /// last check to the end of `body`.
  public func wait<T>(until ready: (State) -> Bool, then body: (inout State) -> T) -> T {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    while !ready(state) { pthread_cond_wait(condition, mutex) }
    return body(&state)
  }

  /// ``wait(until:then:)`` that waits at most `timeoutMilliseconds` (wall clock): `body` runs
  /// once `ready` holds or the time is up, whichever comes first, the lock held; its second
  /// argument is whether `ready` held.
  public func wait<T>(
    until ready: (State) -> Bool, timeoutMilliseconds: Int, then body: (inout State, Bool) -> T
  ) -> T {
    var deadline = timespec()
    clock_gettime(CLOCK_REALTIME, &deadline)
    let timeout = max(0, timeoutMilliseconds)
    let nanoseconds = Int(deadline.tv_nsec) + (timeout % 1000) * 1_000_000
    deadline.tv_sec += timeout / 1000 + nanoseconds / 1_000_000_000
    deadline.tv_nsec = nanoseconds % 1_000_000_000
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    while !ready(state) {
      if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT { break }
    }
    return body(&state, ready(state))
  }

  /// Wakes every thread in ``wait(until:then:)`` to re-check its condition. Call after a
  /// change made in ``withLock(_:)`` (with or without the lock held).
  public func wakeWaiters() {
    pthread_cond_broadcast(condition)
  }
}
