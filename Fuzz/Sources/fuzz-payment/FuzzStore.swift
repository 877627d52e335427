import Nostr
import Synchronization

/// The fuzz target's own ``EventStore``: remembers the ids it stored (a repeat is a
/// duplicate), forgets them all past 10 000 so memory stays flat over millions of runs.
final class FuzzStore: EventStore {
  private let ids = Mutex(Set<String>())

  func store(_ event: NostrEvent, completion: @escaping StoreCompletion) {
    let outcome = ids.withLock { ids -> StoreOutcome in
      if ids.count >= 10_000 { ids.removeAll() }
      return ids.insert(event.id).inserted ? .stored : .duplicate
    }
    completion(.success(outcome))
  }

  func event(id: String) throws(EventStoreError) -> NostrEvent? { nil }

  func query(_ filters: [NostrFilter]) throws(EventStoreError) -> [NostrEvent] { [] }

  var storageDescription: String { "fuzz" }
}
