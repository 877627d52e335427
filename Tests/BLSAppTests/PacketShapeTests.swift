import BLSApp
import BLSTestSupport
import JSON
import Nostr
import Testing

/// Issue 12 item 5: both generations of callers on /handle-packet — the connector's body and
/// the legacy `{amount, destination, data, sourceAccount?}` that ALLiDoizCode/crosstown's
/// `packages/bls` moved here — and every answer HTTP 200 in both answer shapes.
@Suite("/handle-packet: both generations of callers")
struct PacketShapeTests {
  @Test func legacyBodyIsAcceptedAndStored() throws {
    let store = InMemoryEventStore()
    let event = try Fixture.event()
    let toon = Fixture.toon(event)
    guard case .object(var body) = try JSONValue.parse(Fixture.paymentBody(toon, amount: "99999")) else { return }
    body["sourceAccount"] = "g.sender.alice"
    let response = try Fixture.app(store: store).handle(
      Fixture.post("/handle-packet", JSONValue.object(body).serializedBytes))
    #expect(response.status == 200)
    #expect(
      response.json == [
        "accept": true, "fulfillment": .string(PaymentDecider.fulfillment(eventID: event.id)),
        "metadata": ["eventId": .string(event.id), "storedAt": .number(JSONNumber(Fixture.now))],
      ])
    #expect(try store.event(id: event.id) == event)
  }

  @Test("null paymentId and expiresAt count as absent: the legacy body")
  func nullConnectorFieldsAreLegacy() throws {
    let toon = Fixture.toon(try Fixture.event())
    guard case .object(var body) = try JSONValue.parse(Fixture.paymentBody(toon, amount: "99999")) else { return }
    body["paymentId"] = .null
    body["expiresAt"] = .null
    let response = try Fixture.app().handle(Fixture.post("/handle-packet", JSONValue.object(body).serializedBytes))
    #expect(response.json["accept"] == true)
  }

  @Test func transitNotificationsAreAcceptedWithoutStoring() throws {
    let store = RecordingStore()
    let response = try Fixture.app(store: store).handle(
      Fixture.post(
        "/handle-packet", Fixture.packetBody(Fixture.toon(try Fixture.event()), amount: "0", extra: ["isTransit": true])
      ))
    #expect(response.json == ["accept": true])
    #expect(store.received.value.isEmpty)
  }

  /// Every /handle-payment vector, posted as is to /handle-packet, is decided the same way:
  /// the same accept body; or a reject in HTTP 200 carrying /handle-payment's `code`, `message`
  /// and `metadata` — with `invalid_amount`'s F03 in place of F00 (item 3) — plus
  /// `rejectReason` whose code the connector maps to that same `code`.
  ///
  /// Vectors whose body carries `paymentId`, `expiresAt` or `executionCondition` are left out:
  /// /handle-payment ignores those fields, /handle-packet gives them meaning (the connector's
  /// shape, item 1's expiry, item 6's condition); ``fieldsThePacketPathReads()`` covers them.
  @Test(
    "the legacy body is decided as /handle-payment decides it",
    arguments: PaymentCase.all.filter { testCase in
      let body = (try? JSONValue.parse(testCase.body))?.objectValue ?? JSONObject()
      return !["paymentId", "expiresAt", "executionCondition"].contains { body.contains($0) }
    })
  func decidedLikeHandlePayment(_ testCase: PaymentCase) throws {
    let configuration = try BLSConfiguration.fromEnvironment(Environment(testCase.environment))
    let payment = BLSApplication(configuration: configuration, store: InMemoryEventStore(), clock: { Fixture.now })
      .handle(Fixture.post("/handle-payment", testCase.body, headers: Dictionary(testCase.headers) { $1 }))
    let packetStore = InMemoryEventStore()
    let packet = BLSApplication(configuration: configuration, store: packetStore, clock: { Fixture.now })
      .handle(Fixture.post("/handle-packet", testCase.body, headers: Dictionary(testCase.headers) { $1 }))
    #expect(packet.status == 200, "\(testCase.id)")
    #expect(packet.json["accept"] == payment.json["accept"], "\(testCase.id)")
    if payment.status == 200 {
      #expect(packet.body == payment.body, "\(testCase.id)")
      return
    }
    #expect(try packetStore.query([NostrFilter()]).isEmpty, "\(testCase.id): a rejected payment stored an event")
    #expect(packet.json["message"] == payment.json["message"], "\(testCase.id)")
    #expect(packet.json["metadata"] == payment.json["metadata"], "\(testCase.id)")
    let isAmountFormat = payment.json["message"]?.stringValue?.hasPrefix("Invalid amount format") == true
    #expect(packet.json["code"] == (isAmountFormat ? "F03" : payment.json["code"]), "\(testCase.id)")
    let business = try #require(packet.json["rejectReason"]?["code"]?.stringValue)
    let connectorMap = [
      "invalid_request": "F00", "invalid_amount": "F03", "unexpected_payment": "F06", "internal_error": "T00",
    ]
    #expect(connectorMap[business] == packet.json["code"]?.stringValue, "\(testCase.id)")
    #expect(packet.json["rejectReason"]?["message"] == payment.json["message"], "\(testCase.id)")
  }

  /// The vector `main/extra_request_fields` (a reference caller's body with extra fields,
  /// `executionCondition: "x"` and `expiresAt` among them) is accepted on /handle-payment, which
  /// ignores them. On /handle-packet `expiresAt` makes it the connector's shape, which needs
  /// `paymentId`, and an `executionCondition` must be 32 bytes: an invalid request, nothing
  /// stored. Without those two fields the same body is the legacy one, and accepted.
  @Test func fieldsThePacketPathReads() throws {
    let testCase = try #require(PaymentCase.all.first { $0.id == "main/extra_request_fields" })
    let configuration = try BLSConfiguration.fromEnvironment(Environment(testCase.environment))
    let store = RecordingStore()
    let app = BLSApplication(configuration: configuration, store: store, clock: { Fixture.now })
    #expect(app.handle(Fixture.post("/handle-payment", testCase.body)).json["accept"] == true)
    #expect(store.received.value.count == 1)
    let packet = app.handle(Fixture.post("/handle-packet", testCase.body))
    #expect(packet.json["rejectReason"]?["code"] == "invalid_request")
    #expect(packet.json["message"] == "Invalid request: paymentId is required and must be a non-empty string")
    guard case .object(var body) = try JSONValue.parse(testCase.body) else { return }
    body["paymentId"] = "p-1"
    let withPaymentID = app.handle(Fixture.post("/handle-packet", JSONValue.object(body).serializedBytes))
    #expect(withPaymentID.json["message"] == "Invalid request: executionCondition must be the base64 of 32 bytes")
    #expect(store.received.value.count == 1)
    body["paymentId"] = nil
    body["expiresAt"] = nil
    body["executionCondition"] = nil
    let legacy = app.handle(Fixture.post("/handle-packet", JSONValue.object(body).serializedBytes))
    #expect(legacy.json["accept"] == true)
    #expect(store.received.value.count == 2)
  }
}
