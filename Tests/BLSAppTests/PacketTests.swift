import BLSApp
import BLSTestSupport
import ExtrasBase64
import JSON
import Nostr
import Testing

@Suite("POST /handle-packet, the connector dialect")
struct PacketTests {
  static let future = "2023-11-14T22:14:20.000Z"  // after Fixture.now (2023-11-14T22:13:20Z)
  static let past = "2023-11-14T22:13:19.999Z"

  func packet(_ toon: [UInt8]?, amount: String, expiresAt: String = future, isTransit: Bool? = nil) -> HTTPRequest {
    var body: JSONObject = [
      "paymentId": "p-1", "destination": "g.example.bls", "amount": .string(amount), "expiresAt": .string(expiresAt),
    ]
    if let toon { body["data"] = .string(Base64.encodeToString(bytes: toon)) }
    if let isTransit { body["isTransit"] = .bool(isTransit) }
    return Fixture.post("/handle-packet", JSONValue.object(body).serializedBytes)
  }

  /// Issue 12 item 5: the accept carries /handle-payment's fulfillment and metadata too (it
  /// was `{"accept":true}` alone); the connector reads only `accept`.
  @Test func acceptStoresTheEventAndCarriesBothShapes() throws {
    let store = InMemoryEventStore()
    let event = try Fixture.event()
    let toon = Fixture.toon(event)
    let response = try Fixture.app(store: store).handle(packet(toon, amount: "\(toon.count * 10)"))
    #expect(response.status == 200)
    #expect(
      response.json == [
        "accept": true, "fulfillment": .string(PaymentDecider.fulfillment(eventID: event.id)),
        "metadata": ["eventId": .string(event.id), "storedAt": .number(JSONNumber(Fixture.now))],
      ])
    #expect(try store.event(id: event.id) != nil)
  }

  @Test func underpaymentIsAFinalUnexpectedPayment() throws {
    let toon = Fixture.toon(try Fixture.event())
    let response = try Fixture.app().handle(packet(toon, amount: "\(toon.count * 10 - 1)"))
    #expect(response.status == 200)
    #expect(response.json["accept"] == false)
    #expect(response.json["rejectReason"]?["code"] == "unexpected_payment")
    // Issue 12 item 5: `metadata` moved to the top level (the connector drops
    // `rejectReason.metadata`); `rejectReason` is `{code, message}`.
    #expect(response.json["metadata"]?["required"]?.stringValue == "\(toon.count * 10)")
    #expect(response.json["rejectReason"]?["metadata"] == nil)
  }

  /// Issue 12 item 3: a malformed or out-of-range amount is `invalid_amount`, which the
  /// connector sends as F03 Invalid Amount (it was `invalid_request`, F00), in either shape;
  /// /handle-payment keeps F00.
  @Test(
    "malformed or out-of-range amounts are invalid_amount (F03)",
    arguments: [
      JSONValue.string(" 12"), "+12", "-5", "0x10", "1.5", "1e3", "abc", "18446744073709551616",
      .number(JSONNumber(validatedLiteral: "1.5")), .number(JSONNumber(validatedLiteral: "1e3")), .bool(true), ["n": 1],
    ])
  func malformedAmounts(_ amount: JSONValue) throws {
    let store = RecordingStore()
    let toon = Fixture.toon(try Fixture.event())
    for body in [Fixture.packetBody(toon, amount: amount), Fixture.paymentBody(toon, amount: amount)] {
      let response = try Fixture.app(store: store).handle(Fixture.post("/handle-packet", body))
      #expect(response.status == 200)
      #expect(response.json["rejectReason"]?["code"] == "invalid_amount", "\(amount.serialized)")
      #expect(response.json["code"] == "F03")
      #expect(response.json["message"]?.stringValue?.hasPrefix("Invalid amount format") == true)
    }
    let payment = try Fixture.app(store: store).handle(
      Fixture.post("/handle-payment", Fixture.paymentBody(toon, amount: amount)))
    #expect(payment.status == 400 && payment.json["code"] == "F00")
    #expect(store.received.value.isEmpty)
  }

  /// The connector writes `amount` as a string; a JSON number there is refused up front, as
  /// before issue 12, now as `invalid_amount`. The legacy body takes a JSON integer, as
  /// /handle-payment does.
  @Test func aNumberAmountIsInvalidInTheConnectorsShapeOnly() throws {
    let store = RecordingStore()
    var event = try Fixture.event()
    event.content = "tampered"  // refused before the signature is even checked
    let number: JSONValue = 99_999_999
    let refused = try Fixture.app(store: store).handle(
      Fixture.post("/handle-packet", Fixture.packetBody(Fixture.toon(event), amount: number)))
    #expect(refused.json["rejectReason"]?["code"] == "invalid_amount")
    #expect(refused.json["message"] == "Invalid amount format: must be a string of decimal digits")
    let legacy = try Fixture.app(store: store).handle(
      Fixture.post("/handle-packet", Fixture.paymentBody(Fixture.toon(try Fixture.event()), amount: number)))
    #expect(legacy.json["accept"] == true)
    #expect(store.received.value.count == 1)
  }

  @Test func badEventsAreInvalidRequests() throws {
    var event = try Fixture.event()
    event.content = "tampered"
    let response = try Fixture.app().handle(packet(Fixture.toon(event), amount: "999999"))
    #expect(response.status == 200)
    #expect(response.json["rejectReason"]?["code"] == "invalid_request")
    #expect(response.json["rejectReason"]?["message"] == "Invalid event signature")
  }

  @Test func expiredPacketsAreRejected() throws {
    let toon = Fixture.toon(try Fixture.event())
    let response = try Fixture.app().handle(packet(toon, amount: "999999", expiresAt: Self.past))
    #expect(response.json["rejectReason"]?["code"] == "expired")
  }

  @Test func transitNotificationsAreAcceptedWithoutStoring() throws {
    let store = InMemoryEventStore()
    let event = try Fixture.event()
    let response = try Fixture.app(store: store).handle(packet(Fixture.toon(event), amount: "0", isTransit: true))
    #expect(response.json == ["accept": true])
    #expect(try store.event(id: event.id) == nil)
  }

  @Test func storageFailureIsInternalError() throws {
    let toon = Fixture.toon(try Fixture.event())
    let response = try Fixture.app(store: FailingStore()).handle(packet(toon, amount: "999999"))
    #expect(response.status == 200)
    #expect(response.json["rejectReason"]?["code"] == "internal_error")
  }

  @Test("deferred: a stored packet is accepted once durable; a storage failure is internal_error")
  func deferredPackets() throws {
    let event = try Fixture.event()
    let store = LaterStore()
    let accepted = deferredAnswer(try Fixture.app(store: store), packet(Fixture.toon(event), amount: "999999"))
    #expect(!accepted.immediate && accepted.responds == 1)
    // Issue 12 item 5: the accept carries the fulfillment and metadata (it was `{"accept":true}`).
    #expect(accepted.response?.json["accept"] == true)
    #expect(accepted.response?.json["metadata"]?["eventId"]?.stringValue == event.id)
    #expect(try store.event(id: event.id) == event)
    let failed = deferredAnswer(
      try Fixture.app(store: LaterStore(failing: true)), packet(Fixture.toon(event), amount: "999999"))
    #expect(failed.response?.status == 200)
    #expect(failed.response?.json["rejectReason"]?["code"] == "internal_error")
    let expired = deferredAnswer(
      try Fixture.app(store: store), packet(Fixture.toon(event), amount: "999999", expiresAt: "2001-01-01T00:00:00Z"))
    #expect(expired.immediate && expired.responds == 0)
  }

  @Test(
    "malformed packets are invalid_request",
    arguments: [
      #"{}"#, #"[]"#, #"{"paymentId":"p","destination":"g.a","amount":"1","expiresAt":"tomorrow","data":"AA=="}"#,
      #"{"paymentId":"p","destination":"g.a","amount":"1","expiresAt":"2099-01-01T00:00:00Z"}"#,
      #"{"paymentId":"p","destination":"g.a","amount":"1","expiresAt":"2099-01-01T00:00:00Z","data":"AA==","isTransit":"yes"}"#,
      "not json",
    ])
  func malformed(_ body: String) throws {
    let response = try Fixture.app().handle(Fixture.post("/handle-packet", Array(body.utf8)))
    #expect(response.status == 200)
    #expect(response.json["accept"] == false)
    #expect(response.json["rejectReason"]?["code"] == "invalid_request")
  }
}
