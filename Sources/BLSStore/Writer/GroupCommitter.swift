import BLSMetrics
import Glibc
import Nostr
import ProcessSupport
import Synchronization
import Threads

/// The single writer: request threads queue events with a completion; one writer thread takes
/// every event waiting at that moment, commits them in one transaction (one fsync), and runs
/// their completions. While it commits, the next batch gathers — so the fsync rate, not the
/// event rate, bounds the writer.
///
/// Between batches the same thread runs the NIP-40 expiration sweep (issue 14): one pass every
/// `sweepIntervalSeconds`, each at most ``Schema/expirationSweepLimit`` events in a transaction
/// of its own; after a full pass the next follows the next batch, so a backlog never holds up
/// accepts for more than one pass.
final class GroupCommitter: @unchecked Sendable {
  /// A caller's event and what to run once its transaction is durable (or failed).
  private struct Ticket {
    let event: NostrEvent
    let conditions: StoreConditions
    let completion: StoreCompletion
  }

  private struct State {
    var queue: [Ticket] = []
    var closing = false
    var stats = BatchStatistics()
    /// Callers of ``sweepNow(completion:)`` waiting for a full sweep.
    var sweepRequests: [@Sendable (Result<Int, EventStoreError>) -> Void] = []
    var sweeps = SweepStatistics()
  }

  private let state = Locked(State())
  /// Used by the writer thread only.
  private let writer: EventWriter
  private let maxBatch: Int
  /// Held around each batch; the in-memory store's readers share the writer connection and
  /// take it too.
  private let connectionGuard: Locked<Void>?
  private let thread = Mutex<PosixThread?>(nil)
  /// Commit time and size for the `/metrics` page.
  let metrics = WriterMetrics()
  /// Milliseconds between two passes of the NIP-40 expiration sweep.
  private let sweepInterval: Int64
  /// Unix seconds: the time the sweep compares expirations with.
  private let clock: @Sendable () -> Int64
  /// The pause that lets a batch under load grow before it commits.
  private let commitDelay: CommitDelay

  init(
    writer: EventWriter, maxBatch: Int, connectionGuard: Locked<Void>?, sweepIntervalSeconds: Int = 60,
    commitDelay: CommitDelay = .off, clock: @escaping @Sendable () -> Int64 = { Int64(time(nil)) }
  ) {
    self.writer = writer
    self.commitDelay = commitDelay
    self.maxBatch = max(1, maxBatch)
    self.connectionGuard = connectionGuard
    self.sweepInterval = Int64(max(1, sweepIntervalSeconds)) * 1000
    self.clock = clock
    let started = PosixThread.essential { [unowned self] in self.run() }
    thread.withLock { $0 = started }
  }

  /// Queues `event` and returns at once; `completion` runs on the writer thread once the
  /// transaction is durable (or failed, or the event was dropped because `conditions` no
  /// longer held when its batch formed), or on the caller's thread if the store is closed.
  func submit(_ event: NostrEvent, conditions: StoreConditions, completion: @escaping StoreCompletion) {
    let first = state.withLock { state -> Bool? in
      guard !state.closing else { return nil }
      state.queue.append(Ticket(event: event, conditions: conditions, completion: completion))
      return state.queue.count == 1
    }
    switch first {
    case nil: completion(.failure(Self.closedError))
    case true?: state.wakeWaiters()
    case false?: break
    }
  }

  private static let closedError = EventStoreError(code: "closed", message: "the event store is closed")

  var statistics: BatchStatistics { state.withLock { $0.stats } }

  /// Events queued and not yet taken into a batch.
  var queueDepth: Int { state.withLock { $0.queue.count } }

  var sweepStatistics: SweepStatistics { state.withLock { $0.sweeps } }

  /// Asks the writer for a full expiration sweep now, between batches: pass after pass until
  /// nothing is due. `completion` gets the number of events deleted, on the writer thread (or
  /// at once, with `closed`, if the store is closed).
  func sweepNow(completion: @escaping @Sendable (Result<Int, EventStoreError>) -> Void) {
    let accepted = state.withLock { state -> Bool in
      guard !state.closing else { return false }
      state.sweepRequests.append(completion)
      return true
    }
    if accepted { state.wakeWaiters() } else { completion(.failure(Self.closedError)) }
  }

  /// Stops taking events, commits everything already queued, and joins the writer thread.
  func shutdown() {
    state.withLock { $0.closing = true }
    state.wakeWaiters()
    thread.withLock { thread in
      thread?.join()
      thread = nil
    }
  }

  private func run() {
    var nextSweep = MonotonicClock.milliseconds() + sweepInterval
    while true {
      let wait = Int(max(0, nextSweep - MonotonicClock.milliseconds()))
      let (taken, requests, closing) = state.wait(
        until: { !$0.queue.isEmpty || $0.closing || !$0.sweepRequests.isEmpty }, timeoutMilliseconds: wait
      ) { state, _ in
        defer { state.sweepRequests = [] }
        return (state.queue.removeFirst(atMost: maxBatch), state.sweepRequests, state.closing)
      }
      let batch = commitDelay.gather(taken, room: maxBatch) { room in
        state.withLock { $0.queue.removeFirst(atMost: room) }
      }
      if !batch.isEmpty { commit(batch) }
      if !requests.isEmpty {
        let result = sweepAll()
        for request in requests { request(result) }
      } else if MonotonicClock.milliseconds() >= nextSweep {
        // One bounded pass; a full one means a backlog, worked off on the next turns, each
        // after the batch that gathered meanwhile.
        let full = (try? sweepPass().get()) == Schema.expirationSweepLimit
        nextSweep = MonotonicClock.milliseconds() + (full ? 0 : sweepInterval)
      }
      if closing && taken.isEmpty { return }  // closing, and nothing left to commit
    }
  }

  /// Commits one batch and answers its callers.
  private func commit(_ taken: [Ticket]) {
    // The last moment an event can still be left out: a request abandoned or past its
    // deadline is answered now, unstored (StoreConditions).
    let now = StoreConditions.wallClockMillis()
    var dropped: [(Ticket, EventStoreError)] = []
    let batch = taken.filter { ticket in
      guard let violation = ticket.conditions.violation(now: now) else { return true }
      dropped.append((ticket, violation))
      return false
    }
    // Counted before anyone is answered: whoever reads the metrics after the answer sees it.
    if !dropped.isEmpty { state.withLock { $0.stats.droppedBeforeCommit += dropped.count } }
    for (ticket, violation) in dropped { ticket.completion(.failure(violation)) }
    if batch.isEmpty { return }

    let start = MonotonicClock.nanoseconds()
    let apply = { self.writer.apply(batch.map(\.event), receivedAt: Int64(time(nil))) }
    let outcome = connectionGuard?.withLock { _ in apply() } ?? apply()
    let elapsed = MonotonicClock.nanoseconds() &- start

    state.withLock { state in
      if outcome.committed {
        state.stats.recordCommit(size: batch.count, nanoseconds: elapsed)
        state.stats.recordOutcomes(outcome.results)
      } else {
        state.stats.failedBatches += 1
      }
    }
    if outcome.committed { metrics.observeCommit(size: batch.count, nanoseconds: elapsed) }
    // Outside the lock: a completion answers its request (a socket write).
    for (ticket, result) in zip(batch, outcome.results) { ticket.completion(result) }
  }

  /// One pass of the NIP-40 sweep (``EventWriter/deleteExpired(now:limit:)``), counted.
  private func sweepPass() -> Result<Int, EventStoreError> {
    let pass = { self.writer.deleteExpired(now: self.clock(), limit: Schema.expirationSweepLimit) }
    let result = connectionGuard?.withLock { _ in pass() } ?? pass()
    state.withLock { state in
      state.sweeps.passes += 1
      switch result {
      case .success(let deleted): state.sweeps.deleted += deleted
      case .failure: state.sweeps.failures += 1
      }
    }
    return result
  }

  /// Passes until one finds less than a full chunk due; the total deleted.
  private func sweepAll() -> Result<Int, EventStoreError> {
    ExpirationSweep.runAll(limit: Schema.expirationSweepLimit) { sweepPass() }
  }
}
