import BLSMetrics
import Glibc
import Nostr
import ProcessSupport
import Threads

/// The writer of one ``PostgresEventStore``: request threads queue events with a completion;
/// one thread takes every event waiting at that moment, commits them in one transaction
/// (``PGEventWriter``) and runs their completions after COMMIT returned — the SQLite store's
/// group commit, over a network connection.
///
/// Faults: a batch whose connection is lost fails, every caller getting `unavailable`
/// (nothing is acknowledged that is not known to be committed) — unless the connection is
/// found dead at the batch's BEGIN, before any of it was sent: then the batch runs once more
/// on a new connection. The writer then reconnects,
/// at once and then with a doubling backoff (``Backoff``); while it has no connection, queued
/// events fail at once with `unavailable` and ``isAvailable`` is `false`.
///
/// Between batches the same thread runs the NIP-40 expiration sweep (issue 14), as the SQLite
/// writer does: one pass every `sweepIntervalSeconds`, each at most
/// ``PGSchema/expirationSweepLimit`` events in one statement; after a full pass the next
/// follows the next batch, so a backlog never holds up accepts for more than one pass. Every
/// node sweeps; their passes skip each other's rows (``PGEventWriter/sweepSQL``).
final class PGGroupCommitter: @unchecked Sendable {
  private struct Ticket {
    let event: NostrEvent
    let conditions: StoreConditions
    let completion: StoreCompletion
  }

  private struct State {
    var queue: [Ticket] = []
    var closing = false
    var available = true
    var stats = PGWriterStatistics()
    /// Callers of ``sweepNow(completion:)`` waiting for a full sweep.
    var sweepRequests: [@Sendable (Result<Int, EventStoreError>) -> Void] = []
  }

  /// Reconnection delays: the first try at once, then 100 ms doubling to 5 s.
  struct Backoff {
    var nextAttempt: Int64 = 0
    var delay: Int64 = 0

    mutating func failed(now: Int64) {
      delay = delay == 0 ? 100 : min(delay * 2, 5000)
      nextAttempt = now + delay
    }

    mutating func succeeded() {
      delay = 0
      nextAttempt = 0
    }
  }

  private let state = Locked(State())
  private let maxBatch: Int
  private let connect: () throws(PGError) -> PGConnection
  /// Writer thread only.
  private var connection: PGConnection?
  private var backoff = Backoff()
  private var thread: PosixThread?
  /// Commit time and size for the `/metrics` page.
  let metrics = WriterMetrics()
  /// Milliseconds between two passes of the NIP-40 expiration sweep.
  private let sweepInterval: Int64
  /// Unix seconds: the time the sweep compares expirations with.
  private let clock: @Sendable () -> Int64
  /// The pause that lets a batch under load grow before it commits.
  private let commitDelay: CommitDelay

  /// Starts the writer thread on `connection`; `connect` opens a replacement when it is lost.
  init(
    connection: PGConnection, maxBatch: Int, sweepIntervalSeconds: Int = 60, commitDelay: CommitDelay = .off,
    clock: @escaping @Sendable () -> Int64 = { Int64(time(nil)) },
    connect: @escaping () throws(PGError) -> PGConnection
  ) {
    self.connection = connection
    self.commitDelay = commitDelay
    self.maxBatch = max(1, maxBatch)
    self.connect = connect
    self.sweepInterval = Int64(max(1, sweepIntervalSeconds)) * 1000
    self.clock = clock
    thread = PosixThread.essential { [unowned self] in self.run() }
  }

  static let closedError = EventStoreError(code: "closed", message: "the event store is closed")
  static let unavailableError = EventStoreError(
    code: "unavailable", message: "the PostgreSQL database is unreachable; the writer is reconnecting")

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

  var isAvailable: Bool { state.withLock { $0.available } }

  var statistics: PGWriterStatistics { state.withLock { $0.stats } }

  /// Events queued and not yet taken into a batch.
  var queueDepth: Int { state.withLock { $0.queue.count } }

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

  /// The writer connection's server process id (for tests that cut it).
  private(set) var backendPID: Int32 {
    get { pid.withLock { $0 } }
    set { pid.withLock { $0 = newValue } }
  }
  private let pid = Locked<Int32>(0)

  /// Stops taking events, commits everything already queued, joins the writer thread and
  /// closes its connection.
  func shutdown() {
    state.withLock { $0.closing = true }
    state.wakeWaiters()
    thread?.join()
    thread = nil
  }

  private func run() {
    backendPID = connection?.backendPID ?? 0
    var nextSweep = MonotonicClock.milliseconds() + sweepInterval
    while true {
      if connection == nil, !reconnect() {
        // No database: answer whatever waits, then look again shortly.
        let (taken, requests, closing) = state.withLock { state in
          defer {
            state.queue.removeAll()
            state.sweepRequests.removeAll()
          }
          state.stats.failedWhileUnavailable += state.queue.count
          return (state.queue, state.sweepRequests, state.closing)
        }
        for ticket in taken { ticket.completion(.failure(Self.unavailableError)) }
        for request in requests { request(.failure(Self.unavailableError)) }
        if closing { return }
        usleep(20_000)
        continue
      }
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
      } else if MonotonicClock.milliseconds() >= nextSweep, connection != nil {
        // One bounded pass; a full one means a backlog, worked off on the next turns, each
        // after the batch that gathered meanwhile.
        let full = (try? sweepPass().get()) == PGSchema.expirationSweepLimit
        nextSweep = MonotonicClock.milliseconds() + (full ? 0 : sweepInterval)
      }
      if closing && taken.isEmpty {
        connection?.close()
        return
      }
    }
  }

  /// Commits one batch on the writer's connection and answers its callers.
  private func commit(_ taken: [Ticket]) {
    var batch = admit(taken)
    guard !batch.isEmpty, connection != nil else {
      for ticket in batch { ticket.completion(.failure(Self.unavailableError)) }
      return
    }

    let start = MonotonicClock.nanoseconds()
    var outcome = PGEventWriter.apply(batch.map(\.event), receivedAt: Int64(time(nil)), on: connection!)
    if outcome.lostBeforeBegin {
      // The connection died while idle (a server restart, an idle timeout): nothing of
      // this batch reached the server, so it runs once more on a new connection.
      connection?.close()
      connection = nil
      backoff.succeeded()
      if reconnect() {
        // Reconnecting takes time (up to libpq's connect_timeout): the batch forms again now,
        // leaving out the events whose deadline passed or whose caller left meanwhile.
        batch = admit(batch)
        guard !batch.isEmpty else { return }
        outcome = PGEventWriter.apply(batch.map(\.event), receivedAt: Int64(time(nil)), on: connection!)
      }
    }
    if outcome.connectionLost {
      connection?.close()
      connection = nil
      Log.warning("PostgreSQL: the writer's connection was lost; \(batch.count) events failed; reconnecting")
    }
    let elapsed = MonotonicClock.nanoseconds() &- start
    state.withLock { state in
      if outcome.committed {
        state.stats.commits += 1
        state.stats.events += batch.count
        state.stats.maxBatch = max(state.stats.maxBatch, batch.count)
        state.stats.recordOutcomes(outcome.results)
      } else {
        state.stats.failedBatches += 1
      }
      if outcome.connectionLost { state.available = false }
    }
    if outcome.committed { metrics.observeCommit(size: batch.count, nanoseconds: elapsed) }
    // Outside the lock: a completion answers its request.
    for (ticket, result) in zip(batch, outcome.results) { ticket.completion(result) }
  }

  /// The tickets whose ``Nostr/StoreConditions`` still hold now, the last moment an event can
  /// be left out; the others are answered with their violation and counted.
  private func admit(_ tickets: [Ticket]) -> [Ticket] {
    let now = StoreConditions.wallClockMillis()
    var batch: [Ticket] = []
    var dropped: [(Ticket, EventStoreError)] = []
    for ticket in tickets {
      if let violation = ticket.conditions.violation(now: now) {
        dropped.append((ticket, violation))
      } else {
        batch.append(ticket)
      }
    }
    // Counted before anyone is answered: whoever reads the metrics after the answer sees it.
    if !dropped.isEmpty { state.withLock { $0.stats.droppedBeforeCommit += dropped.count } }
    for (ticket, violation) in dropped { ticket.completion(.failure(violation)) }
    return batch
  }

  /// One pass of the NIP-40 sweep (``PGEventWriter/deleteExpired(now:limit:on:)``), counted.
  /// A lost connection is dropped, to be reopened before the next batch.
  private func sweepPass() -> Result<Int, EventStoreError> {
    guard let db = connection else { return .failure(Self.unavailableError) }
    let result: Result<Int, EventStoreError>
    do {
      result = .success(try PGEventWriter.deleteExpired(now: clock(), limit: PGSchema.expirationSweepLimit, on: db))
    } catch {
      if error.connectionLost {
        connection?.close()
        connection = nil
        state.withLock { $0.available = false }
      }
      result = .failure(EventStoreError(error))
    }
    state.withLock { state in
      state.stats.sweepPasses += 1
      switch result {
      case .success(let deleted): state.stats.sweepDeleted += deleted
      case .failure: state.stats.sweepFailures += 1
      }
    }
    return result
  }

  /// Passes until one deletes less than a full chunk; the total deleted.
  private func sweepAll() -> Result<Int, EventStoreError> {
    ExpirationSweep.runAll(limit: PGSchema.expirationSweepLimit) { sweepPass() }
  }

  /// Opens a new connection if the backoff allows; `true` when the writer has one.
  private func reconnect() -> Bool {
    let now = MonotonicClock.milliseconds()
    guard now >= backoff.nextAttempt else { return false }
    do {
      let fresh = try connect()
      connection = fresh
      backendPID = fresh.backendPID
      backoff.succeeded()
      state.withLock { state in
        state.available = true
        state.stats.reconnects += 1
      }
      Log.info("PostgreSQL: the writer reconnected")
      return true
    } catch {
      backoff.failed(now: now)
      state.withLock { $0.available = false }
      return false
    }
  }
}
