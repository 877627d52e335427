import BLSApp
import BLSTestSupport
import ExtrasBase64
import JSON
import Nostr
import Testing

/// Issue 12 item 6: an optional `executionCondition` (base64 of 32 bytes) on /handle-packet.
/// The connector fulfills with SHA-256(data), so only SHA-256(SHA-256(data)) can be met: any
/// other condition is an invalid request and the store never sees the event.
@Suite("/handle-packet: the optional execution condition")
struct ExecutionConditionTests {
  static func condition(_ toon: [UInt8]) -> [UInt8] { SHA256.hash(SHA256.hash(toon)) }

  func post(_ app: BLSApplication, _ toon: [UInt8], condition: JSONValue, amount: JSONValue = "99999999")
    -> [HTTPResponse?]
  {
    let request = Fixture.post(
      "/handle-packet", Fixture.packetBody(toon, amount: amount, extra: ["executionCondition": condition]))
    return [app.handle(request), deferredAnswer(app, request).response]
  }

  @Test("a condition the data meets: accepted and stored, padded or not")
  func matchingCondition() throws {
    let event = try Fixture.event()
    let toon = Fixture.toon(event)
    let padded = Base64.encodeToString(bytes: Self.condition(toon))
    for text in [padded, String(padded.dropLast())] {
      let store = InMemoryEventStore()
      let answers = post(try Fixture.app(store: store), toon, condition: .string(text))
      for answer in answers {
        #expect(answer?.json["accept"] == true, "\(text)")
      }
      #expect(try store.event(id: event.id) == event)
    }
  }

  @Test(
    "a condition the data does not meet: invalid_request, the store receives nothing",
    arguments: ["single SHA-256", "other data", "zeros"])
  func mismatch(_ kind: String) throws {
    let toon = Fixture.toon(try Fixture.event())
    let condition: [UInt8] =
      switch kind {
      case "single SHA-256": SHA256.hash(toon)
      case "other data": Self.condition(toon + [0x0A])
      default: Array(repeating: 0, count: 32)
      }
    let store = RecordingStore()
    for answer in post(try Fixture.app(store: store), toon, condition: .string(Base64.encodeToString(bytes: condition)))
    {
      #expect(answer?.status == 200)
      #expect(answer?.json["accept"] == false)
      #expect(answer?.json["rejectReason"]?["code"] == "invalid_request")
      #expect(answer?.json["code"] == "F00")
      #expect(answer?.json["message"]?.stringValue?.contains("executionCondition") == true)
    }
    #expect(store.received.value.isEmpty)
  }

  @Test(
    "anything but the base64 of 32 bytes is invalid_request",
    arguments: [
      JSONValue.string(Base64.encodeToString(bytes: [UInt8](repeating: 1, count: 31))),
      .string(Base64.encodeToString(bytes: [UInt8](repeating: 1, count: 33))),
      .string(String(repeating: "!", count: 44)), .string(""), .string("x"), 32, .bool(true), [1, 2],
    ])
  func malformed(_ condition: JSONValue) throws {
    let store = RecordingStore()
    for answer in post(try Fixture.app(store: store), Fixture.toon(try Fixture.event()), condition: condition) {
      #expect(answer?.json["rejectReason"]?["code"] == "invalid_request", "\(condition.serialized)")
      #expect(answer?.json["message"] == "Invalid request: executionCondition must be the base64 of 32 bytes")
    }
    #expect(store.received.value.isEmpty)
  }

  /// Checked right after the data is decoded: an underpaid packet that could not be fulfilled
  /// anyway gets no price quote to retry with.
  @Test func checkedBeforeThePrice() throws {
    let toon = Fixture.toon(try Fixture.event())
    let answers = post(
      try Fixture.app(), toon, condition: .string(Base64.encodeToString(bytes: SHA256.hash(toon))), amount: "1")
    for answer in answers {
      #expect(answer?.json["rejectReason"]?["code"] == "invalid_request")
      #expect(answer?.json["data"] == nil)
    }
  }

  @Test func theLegacyBodyMayCarryOneToo() throws {
    let toon = Fixture.toon(try Fixture.event())
    guard case .object(var body) = try JSONValue.parse(Fixture.paymentBody(toon, amount: "99999999")) else { return }
    let store = RecordingStore()
    let app = try Fixture.app(store: store)
    body["executionCondition"] = .string(Base64.encodeToString(bytes: SHA256.hash(toon)))
    #expect(
      app.handle(Fixture.post("/handle-packet", JSONValue.object(body).serializedBytes)).json["rejectReason"]?["code"]
        == "invalid_request")
    #expect(store.received.value.isEmpty)
    body["executionCondition"] = .string(Base64.encodeToString(bytes: Self.condition(toon)))
    #expect(app.handle(Fixture.post("/handle-packet", JSONValue.object(body).serializedBytes)).json["accept"] == true)
    #expect(store.received.value.count == 1)
  }
}
