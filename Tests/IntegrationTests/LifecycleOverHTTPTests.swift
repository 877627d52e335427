import BLSTestSupport
import Foundation
import JSON
import Nostr
import TOON
import Testing

/// Issue 14 over real HTTP, through nginx and the responder started by `bls-fcgi run`, with
/// the rows read back by the sqlite3 shell: NIP-40, NIP-09, the created_at window and kind
/// ranges, as the issue's "done when" lists them.
@Suite("event lifecycle over HTTP (issue 14)", .serialized)
struct LifecycleOverHTTPTests {
  static let alice = SecretKey.generate()
  static let bob = SecretKey.generate()

  static func stack(_ label: String, _ extra: [String: String]) throws -> RunningStack {
    try RunningStack(label, variables: PaymentCase.environment(profile: "defaults").merging(extra) { _, new in new })
  }

  static var now: Int64 { Int64(Date().timeIntervalSince1970) }

  static func signed(
    _ key: SecretKey = alice, kind: Int = 1, at createdAt: Int64 = now, tags: [[String]] = []
  ) -> NostrEvent {
    NostrEvent.signed(secretKey: key, createdAt: createdAt, kind: kind, tags: tags, content: "lifecycle \(UUID())")
  }

  /// POSTs `event` to /handle-payment with `perByte` × its size (or `amount`).
  static func pay(
    _ connection: HTTPConnection, _ event: NostrEvent, perByte: Int = 10, amount: String? = nil
  ) throws -> HTTPAnswer {
    let toon = TOONEncoder().encodeBytes(event.jsonValue)
    let body: JSONValue = [
      "amount": .string(amount ?? String(toon.count * perByte)), "destination": "g.example.bls",
      "data": .string(Data(toon).base64EncodedString()),
    ]
    return try connection.request(
      "POST", "/handle-payment", headers: [("Content-Type", "application/json")], body: body.serializedBytes)
  }

  @Test("NIP-40: an expired event is refused and not stored; an expiring one is gone after its time and a sweep")
  func expiration() throws {
    let stack = try Self.stack("lifecycle-nip40", ["BLS_EXPIRATION_SWEEP_SECONDS": "1"])
    let connection = try stack.connect()
    let expired = Self.signed(tags: [["expiration", String(Self.now - 1)]])
    let refused = try Self.pay(connection, expired)
    #expect(refused.status == 400)
    #expect(refused.json?["code"] == "F00")
    #expect(refused.json?["message"]?.stringValue?.hasPrefix("Event expired (NIP-40)") == true)
    // Three seconds ahead: it is decided within them (a loopback request), stored, then swept.
    let expiring = Self.signed(tags: [["expiration", String(Self.now + 3)]])
    let kept = Self.signed(tags: [["expiration", String(Self.now + 3600)]])
    #expect(try Self.pay(connection, expiring).status == 200)
    #expect(try Self.pay(connection, kept).status == 200)
    #expect(try stack.storedEventIDs().contains(expiring.id))
    // Waits for the sweep, not for a time: the bound only stops a broken sweep from hanging.
    let giveUp = Date().addingTimeInterval(60)
    while try stack.storedEventIDs().contains(expiring.id), Date() < giveUp { usleep(100_000) }
    let stored = try stack.storedEventIDs()
    #expect(!stored.contains(expiring.id))
    #expect(!stored.contains(expired.id))
    #expect(stored.contains(kept.id))
  }

  @Test("NIP-09: an author's kind 5 removes their own e and a targets, only theirs, and blocks re-publishing")
  func deletion() throws {
    let stack = try Self.stack("lifecycle-nip09", [:])
    let connection = try stack.connect()
    let note = Self.signed(at: Self.now - 100)
    let article = Self.signed(kind: 30023, at: Self.now - 100, tags: [["d", "art"]])
    let bobsNote = Self.signed(Self.bob, at: Self.now - 100)
    for event in [note, article, bobsNote] { #expect(try Self.pay(connection, event).status == 200) }
    let deletion = Self.signed(
      kind: 5, at: Self.now - 50,
      tags: [["e", note.id], ["e", bobsNote.id], ["a", "30023:\(note.pubkey):art"]])
    #expect(try Self.pay(connection, deletion).status == 200)
    let stored = try stack.storedEventIDs()
    #expect(!stored.contains(note.id))
    #expect(!stored.contains(article.id))
    #expect(stored.contains(bobsNote.id))
    #expect(stored.contains(deletion.id))
    for event in [note, article] {
      let again = try Self.pay(connection, event, amount: "0")
      #expect(again.status == 400)
      #expect(again.json?["message"] == "Event deleted by its author (NIP-09); not stored, not charged")
    }
    #expect(try !stack.storedEventIDs().contains(note.id))
  }

  @Test("the created_at window works only when set")
  func window() throws {
    let farAhead = Self.signed(at: Self.now + 365 * 86400)
    let longAgo = Self.signed(at: Self.now - 365 * 86400)
    let open = try Self.stack("lifecycle-window-unset", [:])
    let openConnection = try open.connect()
    #expect(try Self.pay(openConnection, farAhead).status == 200)
    #expect(try Self.pay(openConnection, longAgo).status == 200)

    let bounded = try Self.stack(
      "lifecycle-window-set", ["BLS_MAX_FUTURE_SECONDS": "900", "BLS_MAX_PAST_SECONDS": "86400"])
    let connection = try bounded.connect()
    let ahead = try Self.pay(connection, Self.signed(at: Self.now + 365 * 86400))
    #expect(ahead.status == 400)
    #expect(ahead.json?["message"]?.stringValue?.hasSuffix("seconds in the future (BLS_MAX_FUTURE_SECONDS)") == true)
    let old = try Self.pay(connection, Self.signed(at: Self.now - 365 * 86400))
    #expect(old.json?["message"]?.stringValue?.hasSuffix("seconds in the past (BLS_MAX_PAST_SECONDS)") == true)
    #expect(try Self.pay(connection, Self.signed()).status == 200)
  }

  @Test("{\"5000-5999\":\"0\",\"5500\":\"7\"}: kind 5100 at 0, 5500 at 7 per byte, kind 1 at the base price")
  func kindRanges() throws {
    let stack = try Self.stack("lifecycle-ranges", ["BLS_KIND_OVERRIDES": #"{"5000-5999":"0","5500":"7"}"#])
    let connection = try stack.connect()
    let pricing = try connection.request("GET", "/pricing")
    #expect(pricing.json?["kindOverrides"] == ["5000-5999": "0", "5500": "7"])
    for (kind, perByte) in [(5100, 0), (5500, 7), (1, 10)] {
      let event = Self.signed(kind: kind)
      let bytes = TOONEncoder().encodeBytes(event.jsonValue).count
      if perByte > 0 {
        let short = try Self.pay(connection, event, amount: String(bytes * perByte - 1))
        #expect(short.json?["code"] == "F06", "kind \(kind)")
        #expect(short.json?["metadata"]?["required"]?.stringValue == String(bytes * perByte), "kind \(kind)")
      }
      #expect(try Self.pay(connection, event, perByte: perByte).status == 200, "kind \(kind)")
    }
  }
}
