import Nostr

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The single writer: request threads queue events and block; one writer thread takes every
/// event waiting at that moment, commits them in one transaction (one fsync), and wakes their
/// callers. While it commits, the next batch gathers — so the fsync rate, not the event rate,
/// bounds the writer.
final class GroupCommitter: @unchecked Sendable {
  /// A caller's event and, once its transaction is durable, its result. Each ticket has its
  /// own condition variable (used with `lock`'s mutex), so a commit wakes exactly the callers
  /// whose events it carried, not those already queued for the next batch.
  private final class Ticket {
    let event: NostrEvent
    var result: Result<StoreOutcome, EventStoreError>?
    let done: UnsafeMutablePointer<pthread_cond_t>
    init(_ event: NostrEvent) {
      self.event = event
      done = .allocate(capacity: 1)
      pthread_cond_init(done, nil)
    }
    deinit {
      pthread_cond_destroy(done)
      done.deallocate()
    }
  }

  private static let work = 0

  // Everything below is guarded by `lock`.
  private let lock = ConditionLock(conditions: 1)
  private var queue: [Ticket] = []
  private var closing = false
  private var stats = BatchStatistics()

  private let writer: EventWriter
  private let maxBatch: Int
  /// Held around each batch; the in-memory store's readers share the writer connection and
  /// take it too.
  private let connectionGuard: ConditionLock?
  private var thread: PosixThread?

  init(writer: EventWriter, maxBatch: Int, connectionGuard: ConditionLock?) {
    self.writer = writer
    self.maxBatch = max(1, maxBatch)
    self.connectionGuard = connectionGuard
    thread = PosixThread { [unowned self] in self.run() }
  }

  /// Queues `event` and blocks until its transaction is durable (or failed).
  func submit(_ event: NostrEvent) throws(EventStoreError) -> StoreOutcome {
    let ticket = Ticket(event)
    lock.lock()
    guard !closing else {
      lock.unlock()
      throw EventStoreError(code: "closed", message: "the event store is closed")
    }
    queue.append(ticket)
    if queue.count == 1 { lock.signal(Self.work) }
    while ticket.result == nil { lock.wait(on: ticket.done) }
    lock.unlock()
    return try ticket.result!.get()
  }

  var statistics: BatchStatistics { lock.withLock { stats } }

  /// Stops taking events, commits everything already queued, and joins the writer thread.
  func shutdown() {
    lock.withLock {
      closing = true
      lock.signal(Self.work)
    }
    thread?.join()
    thread = nil
  }

  private func run() {
    lock.lock()
    while true {
      while queue.isEmpty && !closing { lock.wait(Self.work) }
      if queue.isEmpty { break }
      let take = min(queue.count, maxBatch)
      let batch = Array(queue.prefix(take))
      queue.removeFirst(take)
      lock.unlock()

      let start = monotonicNanoseconds()
      connectionGuard?.lock()
      let outcome = writer.apply(batch.map(\.event), receivedAt: Int64(time(nil)))
      connectionGuard?.unlock()
      let elapsed = monotonicNanoseconds() &- start

      lock.lock()
      for (ticket, result) in zip(batch, outcome.results) {
        ticket.result = result
        pthread_cond_signal(ticket.done)
      }
      if outcome.committed {
        stats.recordCommit(size: batch.count, nanoseconds: elapsed)
      } else {
        stats.failedBatches += 1
      }
    }
    lock.unlock()
  }
}

/// CLOCK_MONOTONIC in nanoseconds.
func monotonicNanoseconds() -> UInt64 {
  var now = timespec()
  clock_gettime(CLOCK_MONOTONIC, &now)
  return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}
