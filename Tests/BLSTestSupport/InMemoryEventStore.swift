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
///    other is `.superseded` and not stored;
/// 4. NIP-40: a stored event's `expiration` (``Expiration/at(_:)``) is remembered, and
///    ``deleteExpiredEvents(now:)`` deletes the events whose time has come (the SQLite store's
///    sweep).
///
/// Thread-safe: one mutex around the whole state, so each store is atomic.
public final class InMemoryEventStore: EventStore {
  private struct State {
    var events: [String: NostrEvent] = [:]
    /// The id of the event stored in each replacement slot.
    var slots: [ReplacementKey: String] = [:]
    /// NIP-40: the expiration of each stored event that has one.
    var expirations: [String: Int64] = [:]

    mutating func remove(_ id: String) {
      guard let event = events.removeValue(forKey: id) else { return }
      expirations[id] = nil
      if let key = event.replacementKey, slots[key] == id { slots[key] = nil }
    }
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
          state.remove(currentID)
        }
        state.slots[key] = event.id
      }
      state.events[event.id] = event
      if case .at(let time) = event.expiration { state.expirations[event.id] = time }
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

  /// NIP-40: deletes every stored event whose expiration is at or before `now` (Unix
  /// seconds); returns how many.
  @discardableResult
  public func deleteExpiredEvents(now: Int64) -> Int {
    state.withLock { state in
      let due = state.expirations.filter { $0.value <= now }.map(\.key)
      for id in due { state.remove(id) }
      return due.count
    }
  }
}
