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
/// Implementations are called from many threads at once. ``store(_:)`` returns only when the
/// outcome is durable: for a persistent store, after the transaction that holds the event is on
/// disk. Errors are thrown as ``EventStoreError``.
public protocol EventStore: Sendable {
  /// Stores `event` per NIP-01: regular events are inserted (a duplicate id is not an error);
  /// replaceable kinds (0, 3, 10000–19999) keep the newest per (pubkey, kind); addressable
  /// kinds (30000–39999) keep the newest per (pubkey, kind, first `d` tag value); ties on
  /// `created_at` keep the lowest id.
  func store(_ event: NostrEvent) throws(EventStoreError) -> StoreOutcome

  /// ``store(_:)`` without blocking the caller: `completion` runs exactly once, on a thread
  /// of the store's choosing, when the outcome is durable (or has failed). A caller that
  /// would otherwise wait — a server thread — is free meanwhile. The default implementation
  /// calls ``store(_:)`` and completes before returning.
  func store(_ event: NostrEvent, completion: @escaping StoreCompletion)

  /// ``store(_:completion:)`` for a request that must not be stored after `deadline` (Unix
  /// milliseconds, the clock the application answers with). A store that queues writes checks
  /// it again when its writer takes the event into a batch: past it (the clock later than
  /// `deadline`), the event is dropped unstored and `completion` gets an error with code
  /// ``EventStoreError/deadlineExceededCode``. The default implementation ignores the deadline
  /// and calls ``store(_:completion:)``: the caller has checked it just before.
  func store(_ event: NostrEvent, deadline: Int64, completion: @escaping StoreCompletion)

  /// The stored event with this id, if any.
  func event(id: String) throws(EventStoreError) -> NostrEvent?

  /// Events matching any of `filters` (NIP-01 REQ semantics), newest first
  /// (`created_at` descending, then id ascending).
  func query(_ filters: [NostrFilter]) throws(EventStoreError) -> [NostrEvent]

  /// A short description for logs and `/health`, e.g. `"sqlite:/data/events.db"` or `"memory"`.
  var storageDescription: String { get }
}

/// Receives the result of ``EventStore/store(_:completion:)``.
public typealias StoreCompletion = @Sendable (Result<StoreOutcome, EventStoreError>) -> Void

extension EventStore {
  public func store(_ event: NostrEvent, completion: @escaping StoreCompletion) {
    do {
      completion(.success(try store(event)))
    } catch {
      completion(.failure(error))
    }
  }

  public func store(_ event: NostrEvent, deadline: Int64, completion: @escaping StoreCompletion) {
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
  /// its batch formed (``EventStore/store(_:deadline:completion:)``).
  public static let deadlineExceededCode = "deadline_exceeded"
}
