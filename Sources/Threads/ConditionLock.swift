#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A pthread mutex with condition variables, for blocking hand-offs between threads (request
/// threads and the store's writer, the writer and the checkpointer). (Synchronization's
/// `Mutex` has no condition variable.)
public final class ConditionLock: @unchecked Sendable {
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private let conditions: UnsafeMutablePointer<pthread_cond_t>
  private let conditionCount: Int

  /// A lock with `conditions` independent condition variables, numbered from 0.
  public init(conditions: Int = 1) {
    mutex = .allocate(capacity: 1)
    pthread_mutex_init(mutex, nil)
    conditionCount = conditions
    self.conditions = .allocate(capacity: conditions)
    for index in 0..<conditions { pthread_cond_init(self.conditions + index, nil) }
  }

  deinit {
    for index in 0..<conditionCount { pthread_cond_destroy(conditions + index) }
    conditions.deallocate()
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  public func lock() { pthread_mutex_lock(mutex) }
  public func unlock() { pthread_mutex_unlock(mutex) }

  /// Runs `body` with the mutex held.
  public func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
    lock()
    defer { unlock() }
    return try body()
  }

  /// Releases the mutex, waits for a signal on `condition`, re-acquires. Spurious wake-ups
  /// happen: call in a loop that re-checks the predicate.
  public func wait(_ condition: Int = 0) {
    pthread_cond_wait(conditions + condition, mutex)
  }

  /// ``wait(_:)`` on a condition variable of the caller's own (with this lock's mutex).
  public func wait(on condition: UnsafeMutablePointer<pthread_cond_t>) {
    pthread_cond_wait(condition, mutex)
  }

  public func signal(_ condition: Int = 0) { pthread_cond_signal(conditions + condition) }
  public func broadcast(_ condition: Int = 0) { pthread_cond_broadcast(conditions + condition) }
}
