import Threads

/// What a store did with an event (NIP-01 storage semantics).
public enum StoreOutcome: Sendable, Equatable {
  /// Newly stored (for a replaceable or addressable event: it replaced any older one).
  case stored
  /// An event with this id was already stored; nothing changed.
  case duplicate
  /// A replaceable or addressable event that loses to the stored one for its slot (older, or
  /// the same `created_at` and a higher id; see ``NostrEvent/supersedes(_:)``): accepted, not
  /// stored.
  case superseded
}

/// Durable storage of Nostr events with NIP-01 semantics.
///
/// Implementations are called from many threads at once. An implementation provides one
/// way to store, ``store(_:completion:)`` — what the server uses, so no thread waits for the
/// disk; ``store(_:)``, which waits, is built on it for tools and tests, so the two cannot
/// drift. Errors are ``EventStoreError``.
public protocol EventStore: Sendable {
  /// Stores `event` per NIP-01 without blocking the caller: regular events are inserted (a
  /// duplicate id is not an error); replaceable kinds (0, 3, 10000–19999) keep the newest per
  /// (pubkey, kind); addressable kinds (30000–39999) keep the newest per (pubkey, kind, first
  /// `d` tag value); ties on `created_at` keep the lowest id. A store that keeps deletions
  /// (``isDeleted(_:)``) applies a kind-5 event's NIP-09 deletions in the same transaction and
  /// answers ``StoreOutcome/superseded`` (accepted, not stored) for an event its author
  /// deleted. `completion` runs exactly once,
  /// on a thread of the store's choosing, when the outcome is durable — for a persistent
  /// store, after the transaction that holds the event is on disk — or has failed.
  func store(_ event: NostrEvent, completion: @escaping StoreCompletion)

  /// ``store(_:completion:)`` for an event that must not be stored unless `conditions` still
  /// hold when the store takes it into a transaction (a deadline, a peer still waiting); see
  /// ``StoreConditions``. The default implementation checks abandonment once, now (the caller
  /// has just checked the deadline), then calls ``store(_:completion:)``; a store that queues
  /// writes checks both when its batch forms.
  func store(_ event: NostrEvent, conditions: StoreConditions, completion: @escaping StoreCompletion)

  /// The stored event with this id, if any.
  func event(id: String) throws(EventStoreError) -> NostrEvent?

  /// Events matching any of `filters` (NIP-01 REQ semantics), newest first
  /// (`created_at` descending, then id ascending).
  func query(_ filters: [NostrFilter]) throws(EventStoreError) -> [NostrEvent]

  /// NIP-09: `true` when `event` may not be stored because its author deleted it: its id is
  /// named by a stored deletion (kind 5) of the same pubkey, or it is a version, not newer
  /// than the deletion, of a replaceable or addressable address its author's deletion names.
  /// A deletion is never deleted (`false` for kind 5). Answered from an index, in O(log n).
  /// The default, for stores that keep no deletions, is `false`.
  func isDeleted(_ event: NostrEvent) throws(EventStoreError) -> Bool

  /// A short description for logs and `/health`, e.g. `"sqlite:/data/events.db"` or `"memory"`.
  var storageDescription: String { get }

  /// `false` while the store cannot take events (its database server is unreachable and it is
  /// reconnecting), so `/health` can answer 503 and a load balancer take the node out. The
  /// default is `true`: a store in this process's own file or memory is available while it runs.
  var isAvailable: Bool { get }
}

/// Receives the result of ``EventStore/store(_:completion:)``.
public typealias StoreCompletion = @Sendable (Result<StoreOutcome, EventStoreError>) -> Void

extension EventStore {
  public var isAvailable: Bool { true }

  /// ``store(_:completion:)``, waiting: returns once the outcome is durable, or throws.
  public func store(_ event: NostrEvent) throws(EventStoreError) -> StoreOutcome {
    let answer = BlockingQueue<Result<StoreOutcome, EventStoreError>>()
    store(event) { answer.push($0) }
    return try answer.pop()!.get()
  }

  public func isDeleted(_ event: NostrEvent) throws(EventStoreError) -> Bool { false }

  public func store(_ event: NostrEvent, conditions: StoreConditions, completion: @escaping StoreCompletion) {
    // The deadline was checked by the caller a moment ago, on its own clock: only whether
    // anyone still waits is checked here.
    if conditions.isAbandoned(), let violation = conditions.violation(now: Int64.min) {
      return completion(.failure(violation))
    }
    store(event, completion: completion)
  }
}

/// A storage failure. The contract maps every case to ILP T00 (HTTP 500).
public struct EventStoreError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Stable machine-readable code, e.g. `"disk_full"`, `"io"`, `"corrupt"`, `"closed"`.
  public let code: String
  /// Human-readable detail (never contains secrets).
  public let message: String

  public init(code: String, message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { "\(code): \(message)" }

  /// The code of a store that dropped an event, unstored, because its deadline passed before
  /// its batch formed (``StoreConditions``).
  public static let deadlineExceededCode = "deadline_exceeded"
  /// The code of a store that dropped an event, unstored, because its request was abandoned
  /// before its batch formed (``StoreConditions``).
  public static let abandonedCode = "abandoned"
}
