import Glibc
import JSON
import Nostr
import Threads

/// Stores events read from NIP-01 JSON lines (`bls-fcgi export`'s format), or from another
/// database, into a store — SQLite or PostgreSQL — for `bls-fcgi import` and `bls-fcgi copy`
/// (docs/operations.md, Import; Moving between SQLite and PostgreSQL).
///
/// Every line is parsed with the project's JSON parser, read as an event
/// (``NostrEvent/init(json:)``: lowercase hex, integer fields) and **verified** (NIP-01 id,
/// BIP-340 signature, ``NostrEvent/verify()``) before it is stored; a line or event that
/// fails any check is counted invalid, with its line number or id and reason, and nothing of
/// it is stored. An event whose NIP-40 expiration is at or before now is counted expired and
/// not stored (NIP-40: relays should not accept it). Valid events go through the store's
/// public write path, ``Nostr/EventStore/store(_:completion:)``, with its rules (a duplicate
/// id is skipped, an older replaceable or addressable event is superseded, an event its
/// author deleted is not stored), queued without waiting — the writer commits whatever is
/// queued in one transaction while this thread verifies the next events — and at most
/// ``maxInFlight`` at a time, which bounds memory.
public final class EventImporter {
  /// The longest line accepted, in bytes (1 MiB); a longer line is invalid.
  public static let maxLineBytes = 1 << 20
  /// Most events queued for the writer at once; past it, the reader waits until half have
  /// been committed.
  public static let maxInFlight = 8192
  /// Reasons kept for the summary.
  public static let keptReasons = 5

  /// Counts so far, and the first few reasons lines were refused.
  public struct Summary: Sendable, Equatable, CustomStringConvertible {
    /// Lines read (blank ones not counted), or for a copy, events read, expired ones included:
    /// the sum of every count below.
    public var lines: Int64 = 0
    public var stored: Int64 = 0
    public var duplicate: Int64 = 0
    public var superseded: Int64 = 0
    public var invalid: Int64 = 0
    /// Events whose NIP-40 expiration had passed: not stored, not an error.
    public var expired: Int64 = 0
    /// Events the store failed to write (disk full, …): also an error.
    public var failed: Int64 = 0
    public var reasons: [String] = []

    /// One line: `imported 10 lines: stored 8, duplicate 1, superseded 0, invalid 1, expired 0
    /// (line 3: …)`.
    public var description: String { "imported \(lines) lines: \(outcomes)" }

    /// The counts and reasons without what was read:
    /// `stored 8, duplicate 1, superseded 0, invalid 1, expired 0 (line 3: …)`.
    public var outcomes: String {
      var line =
        "stored \(stored), duplicate \(duplicate), superseded \(superseded), invalid \(invalid), expired \(expired)"
      if failed > 0 { line += ", failed to store \(failed)" }
      if !reasons.isEmpty {
        line += " (" + reasons.joined(separator: "; ") + (invalid + failed > Int64(reasons.count) ? "; …" : "") + ")"
      }
      return line
    }

    mutating func note(_ reason: String) {
      if reasons.count < EventImporter.keptReasons { reasons.append(reason) }
    }
  }

  /// Where an event came from, for the reasons in the summary.
  public enum Origin: Sendable, CustomStringConvertible {
    /// A line of the input (1-based).
    case line(Int64)
    /// An event read from a database, named by its id.
    case event(String)

    public var description: String {
      switch self {
      case .line(let number): "line \(number)"
      case .event(let id): "event \(id)"
      }
    }
  }

  private let store: any EventStore
  private let clock: @Sendable () -> Int64
  /// The counts and the events queued whose outcome has not come back, shared with the
  /// writer thread's completions.
  private struct State {
    var summary = Summary()
    var inFlight = 0
  }
  private let state = Locked(State())

  /// - Parameters:
  ///   - store: where events go, through its public write path.
  ///   - clock: Unix seconds, the time expirations are compared with (injectable for tests).
  public init(store: any EventStore, clock: @escaping @Sendable () -> Int64 = { Int64(time(nil)) }) {
    self.store = store
    self.clock = clock
  }

  /// The counts; final once ``finish()`` has returned.
  public var current: Summary { state.value.summary }

  /// Takes one line (without its newline). Blank lines are skipped, not counted.
  public func add(line bytes: some Collection<UInt8>, number: Int64) {
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
    state.withLock { $0.summary.lines += 1 }
    let event: NostrEvent
    do {
      event = try NostrEvent(json: try JSONValue.parse(bytes))
    } catch {
      refuse(.line(number), "\(error)")
      return
    }
    admit(event, from: .line(number))
  }

  /// Takes one event read from a database: counted in ``Summary/lines``, then verified and
  /// stored as a line's event is.
  public func add(event: NostrEvent) {
    state.withLock { $0.summary.lines += 1 }
    admit(event, from: .event(event.id))
  }

  /// Counts events a reader left out because they had expired (they are never stored): in
  /// ``Summary/lines`` and ``Summary/expired``.
  public func addExpired(_ count: Int64) {
    state.withLock {
      $0.summary.lines += count
      $0.summary.expired += count
    }
  }

  /// Verifies `event` and queues it for the store, unless it is invalid or expired.
  private func admit(_ event: NostrEvent, from origin: Origin) {
    do {
      try event.verify()
    } catch {
      refuse(origin, "\(error)")
      return
    }
    if case .at(let seconds) = event.expiration, seconds <= clock() {
      state.withLock { $0.summary.expired += 1 }
      return
    }
    let queued = state.withLock { state in
      state.inFlight += 1
      return state.inFlight
    }
    store.store(event) { [state] result in
      let left = state.withLock { state in
        Self.count(result, from: origin, in: &state.summary)
        state.inFlight -= 1
        return state.inFlight
      }
      // Only the levels a reader may wait for (half the limit, or none left).
      if left == Self.maxInFlight / 2 || left == 0 { state.wakeWaiters() }
    }
    if queued >= Self.maxInFlight { waitUntilInFlight(atMost: Self.maxInFlight / 2) }
  }

  /// A line too long to read (over ``maxLineBytes``): counted invalid.
  public func addOverlongLine(number: Int64) {
    state.withLock { $0.summary.lines += 1 }
    refuse(.line(number), "longer than \(Self.maxLineBytes) bytes")
  }

  /// Waits until every queued event's outcome is counted.
  public func finish() { waitUntilInFlight(atMost: 0) }

  /// Waits until the writer has answered all but `limit` of the queued events.
  private func waitUntilInFlight(atMost limit: Int) {
    state.wait(until: { $0.inFlight <= limit }, then: { _ in })
  }

  private func refuse(_ origin: Origin, _ reason: String) {
    state.withLock {
      $0.summary.invalid += 1
      $0.summary.note("\(origin): \(reason)")
    }
  }

  private static func count(
    _ result: Result<StoreOutcome, EventStoreError>, from origin: Origin, in summary: inout Summary
  ) {
    switch result {
    case .success(.stored): summary.stored += 1
    case .success(.duplicate): summary.duplicate += 1
    case .success(.superseded): summary.superseded += 1
    case .failure(let error):
      summary.failed += 1
      summary.note("\(origin): not stored: \(error.message)")
    }
  }
}
