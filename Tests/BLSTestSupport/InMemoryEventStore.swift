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
///    sweep);
/// 5. NIP-09: a stored kind-5 event deletes each `e` id it names if that event has its pubkey
///    and is not itself a deletion, and each of its own `a` addresses' holder not newer than
///    itself; what it names stays recorded, so ``isDeleted(_:)`` refuses those events later
///    (`.superseded` if one reaches ``store(_:completion:)``).
///
/// Thread-safe: one mutex around the whole state, so each store is atomic.
public final class InMemoryEventStore: EventStore {
  private struct State {
    var events: [String: NostrEvent] = [:]
    /// The id of the event stored in each replacement slot.
    var slots: [ReplacementKey: String] = [:]
    /// NIP-40: the expiration of each stored event that has one.
    var expirations: [String: Int64] = [:]
    /// NIP-09: deleted ids → the pubkeys of the deletions that name them.
    var deletedIDs: [String: Set<String>] = [:]
    /// NIP-09: deleted addresses → the latest deleting `created_at`.
    var deletedAddresses: [ReplacementKey: Int64] = [:]

    func isDeleted(_ event: NostrEvent) -> Bool {
      guard !event.isDeletion else { return false }
      if deletedIDs[event.id]?.contains(event.pubkey) == true { return true }
      guard let key = event.replacementKey, let through = deletedAddresses[key] else { return false }
      return event.createdAt <= through
    }

    mutating func apply(deletion: NostrEvent) {
      for id in deletion.deletedIDs {
        deletedIDs[id, default: []].insert(deletion.pubkey)
        if let target = events[id], target.pubkey.utf8.elementsEqual(deletion.pubkey.utf8), !target.isDeletion {
          remove(id)
        }
      }
      for address in deletion.deletedAddresses {
        let key = address.replacementKey
        deletedAddresses[key] = max(deletedAddresses[key] ?? Int64.min, deletion.createdAt)
        if let holder = slots[key], let event = events[holder], event.createdAt <= deletion.createdAt { remove(holder) }
      }
    }

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
      if state.isDeleted(event) { return .superseded }
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
      if event.isDeletion { state.apply(deletion: event) }
      return .stored
    }
  }

  public func isDeleted(_ event: NostrEvent) throws(EventStoreError) -> Bool {
    state.withLock { $0.isDeleted(event) }
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
