import BLSApp
import BLSTestSupport
import JSON
import Nostr
import Testing

/// Issue 14 item 2, the payment side: a kind 5 is priced and stored like any event and deletes
/// its author's own targets; an event its author deleted is then refused before its price.
@Suite("NIP-09: deletions through the payment path")
struct DeletionTests {
  static let alice = try! SecretKey(hex: "7f7ff03d123792d6ac594bfa67bf6d0c0ab55b6b1fdb6249303fe861f1ccba9a")
  static let bob = try! SecretKey(hex: "bd3a34db5191c6d5ab0513597c6534ef96a9c69513e505eb96aaf66d389fe3b5")

  static func signed(
    _ key: SecretKey = alice, kind: Int = 1, at createdAt: Int64 = 1_699_999_000, tags: [[String]] = []
  )
    -> NostrEvent
  {
    NostrEvent.signed(secretKey: key, createdAt: createdAt, kind: kind, tags: tags, content: "c\(kind)")
  }

  /// Pays exactly the price (base 10 per byte) on `path`.
  static func pay(_ app: BLSApplication, _ event: NostrEvent, path: String = "/handle-payment", amount: String? = nil)
    -> HTTPResponse
  {
    let toon = Fixture.toon(event)
    let amount = JSONValue.string(amount ?? "\(toon.count * 10)")
    let body =
      path == "/handle-payment" ? Fixture.paymentBody(toon, amount: amount) : Fixture.packetBody(toon, amount: amount)
    return app.handle(Fixture.post(path, body))
  }

  @Test("an author's kind 5 removes their own e and a targets, only theirs, and blocks re-publishing")
  func endToEnd() throws {
    let store = InMemoryEventStore()
    let app = try Fixture.app(store: store)
    let note = Self.signed()
    let article = Self.signed(kind: 30023, at: 1_699_999_100, tags: [["d", "art"]])
    let bobsNote = Self.signed(Self.bob)
    for event in [note, article, bobsNote] { #expect(Self.pay(app, event).status == 200) }

    let deletion = Self.signed(
      kind: 5, at: 1_699_999_500,
      tags: [["e", note.id], ["e", bobsNote.id], ["a", "30023:\(note.pubkey):art"], ["k", "1"]])
    // Priced like any kind: underpaid is F06.
    #expect(Self.pay(app, deletion, amount: "1").json["code"] == "F06")
    #expect(Self.pay(app, deletion).status == 200)
    #expect(try store.event(id: deletion.id) != nil)
    #expect(try store.event(id: note.id) == nil)
    #expect(try store.event(id: article.id) == nil)
    #expect(try store.event(id: bobsNote.id) != nil, "Bob's note is not Alice's to delete")

    let message = "Event deleted by its author (NIP-09); not stored, not charged"
    for path in ["/handle-payment", "/handle-packet"] {
      // Refused before the price: even an amount of 0 hears about the deletion.
      for event in [note, article] {
        let response = Self.pay(app, event, path: path, amount: "0")
        if path == "/handle-payment" {
          #expect(response.status == 400)
          #expect(response.json["code"] == "F00")
          #expect(response.json["message"]?.stringValue == message)
        } else {
          #expect(response.json["rejectReason"] == ["code": "invalid_request", "message": .string(message)])
        }
      }
    }
    // A newer version of the deleted address may be published.
    #expect(Self.pay(app, Self.signed(kind: 30023, at: 1_699_999_501, tags: [["d", "art"]])).status == 200)
    #expect(store.count == 3)
  }

  @Test("{\"5\":\"0\"} makes deletions free; a deletion of a deletion undoes nothing")
  func freeDeletions() throws {
    let store = InMemoryEventStore()
    let app = try Fixture.app(["BLS_KIND_OVERRIDES": #"{"5":"0"}"#], store: store)
    let note = Self.signed()
    #expect(Self.pay(app, note).status == 200)
    let deletion = Self.signed(kind: 5, tags: [["e", note.id]])
    #expect(Self.pay(app, deletion, amount: "0").status == 200)
    let undo = Self.signed(kind: 5, at: 1_699_999_001, tags: [["e", deletion.id]])
    #expect(Self.pay(app, undo, amount: "0").status == 200)
    #expect(try store.event(id: deletion.id) != nil)
    #expect(Self.pay(app, note).json["message"]?.stringValue?.contains("(NIP-09)") == true)
  }

  @Test("a deletion that arrives before its target blocks it")
  func deletionFirst() throws {
    let store = InMemoryEventStore()
    let app = try Fixture.app(store: store)
    let note = Self.signed()
    #expect(Self.pay(app, Self.signed(kind: 5, tags: [["e", note.id]])).status == 200)
    #expect(Self.pay(app, note).json["code"] == "F00")
    #expect(try store.event(id: note.id) == nil)
  }

  @Test("a store that cannot answer is T00, and nothing is stored")
  func storeFailure() throws {
    let app = try Fixture.app(store: UnreadableStore())
    let response = Self.pay(app, Self.signed())
    #expect(response.status == 500)
    #expect(response.json["code"] == "T00")
  }
}

/// A store whose deletion index cannot be read (an I/O error).
final class UnreadableStore: EventStore {
  func store(_ event: NostrEvent, completion: @escaping StoreCompletion) {
    completion(.failure(EventStoreError(code: "unexpected", message: "never stored")))
  }
  func isDeleted(_ event: NostrEvent) throws(EventStoreError) -> Bool {
    throw EventStoreError(code: "io", message: "disk I/O error")
  }
  func event(id: String) throws(EventStoreError) -> NostrEvent? { nil }
  func query(_ filters: [NostrFilter]) throws(EventStoreError) -> [NostrEvent] { [] }
  var storageDescription: String { "unreadable" }
}
