import BLSApp
import BLSTestSupport
import HTTPCore
import JSON
import Nostr
import Synchronization
import Testing

/// A store whose database can be switched off: `isAvailable` as a networked store reports it.
final class SwitchableStore: EventStore, Sendable {
  let inner = InMemoryEventStore()
  let available = Mutex(true)

  var storageDescription: String { "postgresql://db.example:5432/bls" }
  var isAvailable: Bool { available.withLock { $0 } }

  func store(_ event: NostrEvent, completion: @escaping StoreCompletion) { inner.store(event, completion: completion) }
  func event(id: String) throws(EventStoreError) -> NostrEvent? { try inner.event(id: id) }
  func query(_ filters: [NostrFilter]) throws(EventStoreError) -> [NostrEvent] { try inner.query(filters) }
}

@Suite("/health follows the store's availability")
struct HealthAvailabilityTests {
  @Test("an unavailable store makes /health 503 JSON with status unavailable, and 200 again once it is back")
  func unavailable() throws {
    let store = SwitchableStore()
    let app = try Fixture.app(store: store)
    store.available.withLock { $0 = false }
    let down = app.handle(HTTPRequest(method: "GET", path: "/health"))
    #expect(down.status == 503)
    let body = down.json
    #expect(body["status"] == "unavailable")
    #expect(body["storage"] == "postgresql://db.example:5432/bls")
    #expect(body["nodeId"] == "node-a")
    #expect(body["timestamp"]?.numberValue != nil)
    store.available.withLock { $0 = true }
    let up = app.handle(HTTPRequest(method: "GET", path: "/health"))
    #expect(up.status == 200)
    #expect(up.json["status"] == "healthy")
  }
}
