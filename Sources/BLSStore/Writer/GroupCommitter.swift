import Nostr
import ProcessSupport
import Threads

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The single writer: request threads queue events and block (or leave a completion); one
/// writer thread takes every event waiting at that moment, commits them in one transaction
/// (one fsync), and wakes their callers (or runs their completions). While it commits, the next batch gathers — so the fsync rate, not the event rate,
/// bounds the writer.
final class GroupCommitter: @unchecked Sendable {
  /// A caller's event and, once its transaction is durable, its result. A blocking caller's
  /// ticket has its own condition variable (used with `lock`'s mutex), so a commit wakes
  /// exactly the callers whose events it carried; an asynchronous caller's ticket has a
  /// completion instead, run by the writer thread after the commit.
  private final class Ticket {
    let event: NostrEvent
    var result: Result<StoreOutcome, EventStoreError>?
    let done: UnsafeMutablePointer<pthread_cond_t>?
    let completion: StoreCompletion?
    init(_ event: NostrEvent, completion: StoreCompletion?) {
      self.event = event
      self.completion = completion
      if completion == nil {
        let done = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        pthread_cond_init(done, nil)
        self.done = done
      } else {
        done = nil
      }
    }
    deinit {
      if let done {
        pthread_cond_destroy(done)
        done.deallocate()
      }
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
    thread = PosixThread.essential { [unowned self] in self.run() }
  }

  /// Queues `event` and blocks until its transaction is durable (or failed).
  func submit(_ event: NostrEvent) throws(EventStoreError) -> StoreOutcome {
    let ticket = Ticket(event, completion: nil)
    lock.lock()
    guard enqueue(ticket) else {
      lock.unlock()
      throw Self.closedError
    }
    while ticket.result == nil { lock.wait(on: ticket.done!) }
    lock.unlock()
    return try ticket.result!.get()
  }

  /// Queues `event` and returns at once; `completion` runs on the writer thread once the
  /// transaction is durable (or failed), or on the caller's thread if the store is closed.
  func submit(_ event: NostrEvent, completion: @escaping StoreCompletion) {
    let queued = lock.withLock { enqueue(Ticket(event, completion: completion)) }
    if !queued { completion(.failure(Self.closedError)) }
  }

  /// Appends `ticket` unless closing; with `lock` held.
  private func enqueue(_ ticket: Ticket) -> Bool {
    guard !closing else { return false }
    queue.append(ticket)
    if queue.count == 1 { lock.signal(Self.work) }
    return true
  }

  private static let closedError = EventStoreError(code: "closed", message: "the event store is closed")

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

      let start = MonotonicClock.nanoseconds()
      connectionGuard?.lock()
      let outcome = writer.apply(batch.map(\.event), receivedAt: Int64(time(nil)))
      connectionGuard?.unlock()
      let elapsed = MonotonicClock.nanoseconds() &- start

      lock.lock()
      var completions = false
      for (ticket, result) in zip(batch, outcome.results) {
        ticket.result = result
        if let done = ticket.done { pthread_cond_signal(done) } else { completions = true }
      }
      if outcome.committed {
        stats.recordCommit(size: batch.count, nanoseconds: elapsed)
      } else {
        stats.failedBatches += 1
      }
      if completions {
        // Outside the lock: a completion answers its request (a socket write).
        lock.unlock()
        for ticket in batch {
          if let completion = ticket.completion, let result = ticket.result { completion(result) }
        }
        lock.lock()
      }
    }
    lock.unlock()
  }
}
