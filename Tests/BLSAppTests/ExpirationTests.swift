import BLSApp
import BLSTestSupport
import JSON
import Nostr
import Testing

/// Issue 14 item 1, the payment side: an event whose NIP-40 `expiration` has passed is refused
/// before its price, unstored and uncharged (the clock is fixed at ``Fixture/now``).
@Suite("NIP-40: expired events are refused before pricing")
struct ExpirationTests {
  static let nowSeconds = Fixture.now / 1000

  func answers(
    tags: [[String]], amount: JSONValue? = nil, env: [String: String] = [:], store: any EventStore = RecordingStore()
  ) throws -> (payment: HTTPResponse, packet: HTTPResponse) {
    let toon = Fixture.toon(try Fixture.event(tags: tags))
    let app = try Fixture.app(env, store: store)
    let amount = amount ?? .string("\(toon.count * 10)")
    return (
      app.handle(Fixture.post("/handle-payment", Fixture.paymentBody(toon, amount: amount))),
      app.handle(Fixture.post("/handle-packet", Fixture.packetBody(toon, amount: amount)))
    )
  }

  @Test("expired (at or before now): F00 / invalid_request, not stored", arguments: [0, 1, 3600])
  func expired(_ secondsAgo: Int64) throws {
    let store = RecordingStore()
    let expiration = Self.nowSeconds - secondsAgo
    let (payment, packet) = try answers(tags: [["expiration", "\(expiration)"]], store: store)
    let message =
      "Event expired (NIP-40): its expiration \(expiration) is at or before now (\(Self.nowSeconds)); not stored, not charged"
    #expect(payment.status == 400)
    #expect(payment.json["code"] == "F00")
    #expect(payment.json["message"]?.stringValue == message)
    #expect(packet.json["rejectReason"] == ["code": "invalid_request", "message": .string(message)])
    #expect(store.received.value.isEmpty)
  }

  @Test("an expiration still ahead is accepted and stored")
  func notYet() throws {
    let store = InMemoryEventStore()
    let (payment, packet) = try answers(tags: [["expiration", "\(Self.nowSeconds + 1)"]], store: store)
    #expect(payment.status == 200)
    #expect(packet.json["accept"] == true)
    #expect(store.count == 1)
    // …until its time comes.
    #expect(store.deleteExpiredEvents(now: Self.nowSeconds) == 0)
    #expect(store.deleteExpiredEvents(now: Self.nowSeconds + 1) == 1)
    #expect(store.count == 0)
  }

  @Test("refused before the price: an underpaid expired event is told it expired, not F06")
  func beforePricing() throws {
    let (payment, packet) = try answers(tags: [["expiration", "1"]], amount: "0")
    #expect(payment.json["code"] == "F00")
    #expect(payment.json["message"]?.stringValue?.contains("expired (NIP-40)") == true)
    #expect(packet.json["rejectReason"]?["code"] == "invalid_request")
  }

  @Test("the owner's expired events are refused too")
  func ownerToo() throws {
    let owner = try Fixture.event().pubkey
    let (payment, _) = try answers(tags: [["expiration", "1"]], amount: "0", env: ["OWNER_PUBKEY": owner])
    #expect(payment.json["code"] == "F00")
  }

  @Test(
    "a malformed first expiration tag is refused, strictly",
    arguments: [[["expiration", "soon"]], [["expiration"]], [["expiration", "-5"]], [["expiration", "1e12"]]])
  func malformed(_ tags: [[String]]) throws {
    let store = RecordingStore()
    let (payment, packet) = try answers(tags: tags, store: store)
    let message = "Invalid event expiration (NIP-40): the first expiration tag must hold Unix seconds in decimal digits"
    #expect(payment.json["code"] == "F00")
    #expect(payment.json["message"]?.stringValue == message)
    #expect(packet.json["rejectReason"]?["message"]?.stringValue == message)
    #expect(store.received.value.isEmpty)
  }

  @Test("only the first expiration tag counts")
  func firstTagOnly() throws {
    let later = "\(Self.nowSeconds + 60)"
    #expect(try answers(tags: [["expiration", later], ["expiration", "1"]]).payment.status == 200)
    #expect(try answers(tags: [["expiration", "1"], ["expiration", later]]).payment.json["code"] == "F00")
  }

  @Test("BLS_EXPIRATION_SWEEP_SECONDS: 1 to 86400, default 60")
  func sweepInterval() throws {
    func load(_ extra: [String: String]) throws(ConfigurationError) -> BLSConfiguration {
      var env = ["NODE_ID": "node-a", "NOSTR_SECRET_KEY": Fixture.secret, "ILP_ADDRESS": "g.example.bls"]
      env.merge(extra) { $1 }
      return try BLSConfiguration.fromEnvironment(Environment(env))
    }
    #expect(try load([:]).expirationSweepSeconds == 60)
    #expect(try load(["BLS_EXPIRATION_SWEEP_SECONDS": "1"]).expirationSweepSeconds == 1)
    #expect(try load(["BLS_EXPIRATION_SWEEP_SECONDS": "86400"]).expirationSweepSeconds == 86400)
    for bad in ["0", "86401", "1m", "-1"] {
      do {
        _ = try load(["BLS_EXPIRATION_SWEEP_SECONDS": bad])
        Issue.record("\(bad) accepted")
      } catch {
        #expect(
          error.description
            == "ERROR: BLS_EXPIRATION_SWEEP_SECONDS: must be an integer from 1 to 86400 (seconds), got \"\(bad)\"")
      }
    }
  }
}
