import BLSApp
import BLSTestSupport
import ExtrasBase64
import JSON
import Nostr
import Testing

/// Every reject, on both endpoints: the /handle-payment code and status, and the
/// /handle-packet `rejectReason.code` with the ILP code the connector's `REJECT_CODE_MAP` gives
/// it, which is also the answer's top-level `code` (issue 12, items 3 and 5). The table of
/// docs/contract.md.
@Suite("Reject codes on /handle-payment and /handle-packet")
struct RejectTableTests {
  struct Row: CustomTestStringConvertible, Sendable {
    var name: String
    /// The legacy body, sent to both endpoints.
    var body: @Sendable () throws -> [UInt8]
    var environment: [String: String] = [:]
    var failingStore = false
    /// Decided 1 ms past `BLS_REQUEST_TIMEOUT_MS`.
    var late = false
    var paymentStatus: Int
    var paymentCode: String
    var packetCode: String
    var connectorILPCode: String
    var testDescription: String { name }
  }

  static func legacy(_ toon: [UInt8], amount: JSONValue = "99999999") -> [UInt8] {
    Fixture.paymentBody(toon, amount: amount)
  }

  static func signedTOON(content: String = "hello") throws -> [UInt8] {
    Fixture.toon(try Fixture.event(content: content))
  }

  static let rows: [Row] = [
    Row(
      name: "missing fields", body: { Array(#"{"amount":"1"}"#.utf8) }, paymentStatus: 400, paymentCode: "F00",
      packetCode: "invalid_request", connectorILPCode: "F00"),
    Row(
      name: "body not JSON", body: { Array("not json".utf8) }, paymentStatus: 400, paymentCode: "F00",
      packetCode: "invalid_request", connectorILPCode: "F00"),
    Row(
      name: "data not a string", body: { Array(#"{"amount":"1","destination":"g.a","data":5}"#.utf8) },
      paymentStatus: 400, paymentCode: "F00", packetCode: "invalid_request", connectorILPCode: "F00"),
    Row(
      name: "data not base64", body: { Array(#"{"amount":"1","destination":"g.a","data":"!!"}"#.utf8) },
      paymentStatus: 400, paymentCode: "F00", packetCode: "invalid_request", connectorILPCode: "F00"),
    Row(
      name: "event over BLS_MAX_EVENT_BYTES",
      body: { legacy(try signedTOON(content: String(repeating: "x", count: 300))) },
      environment: ["BLS_MAX_EVENT_BYTES": "100"], paymentStatus: 400, paymentCode: "F00",
      packetCode: "invalid_request", connectorILPCode: "F00"),
    Row(
      name: "not a TOON event", body: { legacy(Array("just text".utf8)) }, paymentStatus: 400, paymentCode: "F00",
      packetCode: "invalid_request", connectorILPCode: "F00"),
    Row(
      name: "bad signature",
      body: {
        var event = try Fixture.event()
        event.content = "tampered"
        return legacy(Fixture.toon(event))
      }, paymentStatus: 400, paymentCode: "F00", packetCode: "invalid_request", connectorILPCode: "F00"),
    Row(
      name: "malformed amount", body: { legacy(try signedTOON(), amount: "12abc") }, paymentStatus: 400,
      paymentCode: "F00", packetCode: "invalid_amount", connectorILPCode: "F03"),
    Row(
      name: "amount over 2^64-1", body: { legacy(try signedTOON(), amount: "18446744073709551616") },
      paymentStatus: 400, paymentCode: "F00", packetCode: "invalid_amount", connectorILPCode: "F03"),
    Row(
      name: "underpayment", body: { legacy(try signedTOON(), amount: "1") }, paymentStatus: 400, paymentCode: "F06",
      packetCode: "unexpected_payment", connectorILPCode: "F06"),
    Row(
      name: "storage failure", body: { legacy(try signedTOON()) }, failingStore: true, paymentStatus: 500,
      paymentCode: "T00", packetCode: "internal_error", connectorILPCode: "T00"),
    Row(
      name: "past BLS_REQUEST_TIMEOUT_MS", body: { legacy(try signedTOON()) }, late: true, paymentStatus: 500,
      paymentCode: "T00", packetCode: "internal_error", connectorILPCode: "T00"),
  ]

  func app(_ row: Row, store: any EventStore) throws -> BLSApplication {
    let store: any EventStore = row.failingStore ? FailingStore() : store
    if row.late {
      return try Fixture.app(row.environment, store: store, clock: Fixture.steppingClock(later: Fixture.now + 10_001))
    }
    return try Fixture.app(row.environment, store: store)
  }

  @Test("each reject's codes on both endpoints, both shapes, and nothing stored", arguments: rows)
  func rejects(_ row: Row) throws {
    let store = InMemoryEventStore()
    let body = try row.body()
    let payment = try app(row, store: store).handle(Fixture.post("/handle-payment", body))
    #expect(payment.status == row.paymentStatus)
    #expect(payment.json["accept"] == false)
    #expect(payment.json["code"]?.stringValue == row.paymentCode)
    #expect(payment.json["rejectReason"] == nil)

    // The legacy body on /handle-packet, and — when the body has an event — the connector's.
    var packetBodies = [body]
    if case .object(let legacy) = try? JSONValue.parse(body), let data = legacy["data"], let amount = legacy["amount"] {
      packetBodies.append(
        JSONValue.object([
          "paymentId": "p-1", "destination": "g.example.bls", "amount": amount, "expiresAt": .string(Fixture.future),
          "data": data,
        ]).serializedBytes)
    }
    for packetBody in packetBodies {
      for answer in [
        try app(row, store: store).handle(Fixture.post("/handle-packet", packetBody)),
        deferredAnswer(try app(row, store: store), Fixture.post("/handle-packet", packetBody)).response,
      ] {
        let json = answer?.json ?? .null
        #expect(answer?.status == 200, "every /handle-packet decision is HTTP 200")
        #expect(json["accept"] == false)
        #expect(json["rejectReason"]?["code"]?.stringValue == row.packetCode)
        #expect(json["code"]?.stringValue == row.connectorILPCode)
        #expect(json["message"] != nil && json["message"] == json["rejectReason"]?["message"])
        // Only an underpayment says more: its metadata and its quote in `data` (item 4).
        #expect((json["data"] != nil) == (row.packetCode == "unexpected_payment"))
        #expect((json["metadata"] != nil) == (row.packetCode == "unexpected_payment"))
      }
    }
    #expect(try store.query([NostrFilter()]).isEmpty, "a rejected payment stored an event")
  }

  /// Rejects only the connector's shape can earn: /handle-payment has no `expiresAt`,
  /// `paymentId` or `executionCondition`.
  @Test(
    "packet-only rejects",
    arguments: [
      (
        "expired",
        #"{"paymentId":"p","destination":"g.a","amount":"1","expiresAt":"2023-11-14T22:13:19.999Z","data":"AA=="}"#,
        "expired", "R00"
      ),
      (
        "no data", #"{"paymentId":"p","destination":"g.a","amount":"1","expiresAt":"2099-01-01T00:00:00Z"}"#,
        "invalid_request", "F00"
      ),
      (
        "expiresAt without paymentId",
        #"{"destination":"g.a","amount":"1","expiresAt":"2099-01-01T00:00:00Z","data":"AA=="}"#, "invalid_request",
        "F00"
      ),
      (
        "paymentId without expiresAt", #"{"paymentId":"p","destination":"g.a","amount":"1","data":"AA=="}"#,
        "invalid_request", "F00"
      ),
      (
        "amount missing", #"{"paymentId":"p","destination":"g.a","expiresAt":"2099-01-01T00:00:00Z","data":"AA=="}"#,
        "invalid_request", "F00"
      ),
      (
        "expiresAt not RFC 3339",
        #"{"paymentId":"p","destination":"g.a","amount":"1","expiresAt":"2099-01-01 00:00:00","data":"AA=="}"#,
        "invalid_request", "F00"
      ),
      (
        "executionCondition not 32 bytes",
        #"{"paymentId":"p","destination":"g.a","amount":"1","expiresAt":"2099-01-01T00:00:00Z","data":"AA==","executionCondition":"AAAA"}"#,
        "invalid_request", "F00"
      ),
    ])
  func packetOnlyRejects(_ name: String, _ body: String, _ packetCode: String, _ ilpCode: String) throws {
    let store = RecordingStore()
    let answer = try Fixture.app(store: store).handle(Fixture.post("/handle-packet", Array(body.utf8)))
    #expect(answer.status == 200)
    #expect(answer.json["accept"] == false)
    #expect(answer.json["rejectReason"]?["code"]?.stringValue == packetCode, "\(name)")
    #expect(answer.json["code"]?.stringValue == ilpCode, "\(name)")
    #expect(store.received.value.isEmpty)
  }

  /// The ILP code in the table is the connector's own map (`payment-handler.ts`
  /// `REJECT_CODE_MAP`), restated here: the top-level `code` must be what it yields.
  @Test func topLevelCodeIsTheConnectorsMapOfTheBusinessCode() {
    let connectorMap = [
      "insufficient_funds": "T04", "expired": "R00", "invalid_request": "F00", "invalid_amount": "F03",
      "unexpected_payment": "F06", "application_error": "F99", "internal_error": "T00", "timeout": "T00",
    ]
    for code in [
      PacketRejectCode.invalidRequest, .invalidAmount, .unexpectedPayment, .expired, .internalError,
    ] {
      #expect(connectorMap[code.rawValue] == code.ilpCode.rawValue, "\(code)")
    }
  }
}
