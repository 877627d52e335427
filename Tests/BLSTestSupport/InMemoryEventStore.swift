import Nostr
import Synchronization

/// An `EventStore` in process memory, for tests of the rules above the store (the payment
/// and packet paths) without SQLite. Not shipped: `DATA_DIR=:memory:` is the SQLite store on
/// an in-memory database (`SQLiteEventStore`), which follows the same rules.
///
/// Semantics (the SQLite store implements the same rules):
/// 1. an event whose id is already stored → `.duplicate`, nothing changes;
/// 2. regular and ephemeral kinds (`KindClass`) → stored;
/// 3. replaceable and addressable kinds: at most one event per `ReplacementKey`
///    (pubkey, kind[, first `d` value, exact match]); a new event that
///    `NostrEvent.supersedes(_:)` the stored one replaces it (`.stored`), any
///    other is `.superseded` and not stored.
///
/// Thread-safe: one mutex around the whole state, so each store is atomic.
public final class InMemoryEventStore: EventStore {
  private struct State {
    var events: [String: NostrEvent] = [:]
    /// The id of the event stored in each replacement slot.
    var slots: [ReplacementKey: String] = [:]
  }

  private let state = Mutex(State())

  public init() {}

  public var storageDescription: String { "memory" }

  /// Number of stored events.
  public var count: Int { state.withLock { $0.events.count } }

  /// Stores at once and completes before returning.
  public func store(_ event: NostrEvent, completion: @escaping StoreCompletion) {
    completion(.success(insert(event)))
  }

  private func insert(_ event: NostrEvent) -> StoreOutcome {
    state.withLock { state in
      if state.events[event.id] != nil { return .duplicate }
      if let key = event.replacementKey {
        if let currentID = state.slots[key], let current = state.events[currentID] {
          guard event.supersedes(current) else { return .superseded }
          state.events[currentID] = nil
        }
        state.slots[key] = event.id
      }
      state.events[event.id] = event
      return .stored
    }
  }

  public func event(id: String) throws(EventStoreError) -> NostrEvent? {
    state.withLock { $0.events[id] }
  }

  public func query(_ filters: [NostrFilter]) throws(EventStoreError) -> [NostrEvent] {
    let events = state.withLock { Array($0.events.values) }
    return filters.select(from: events)
  }
}
