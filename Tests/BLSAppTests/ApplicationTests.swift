import BLSApp
import BLSTestSupport
import JSON
import Nostr
import Testing

@Suite("Routes, health and limits")
struct ApplicationTests {
  @Test func health() throws {
    let app = try Fixture.app()
    let response = app.handle(HTTPRequest(method: "GET", path: "/health"))
    #expect(response.status == 200)
    let body = response.json
    #expect(body["status"] == "healthy")
    #expect(body["nodeId"] == "node-a")
    #expect(body["ilpAddress"] == "g.example.bls")
    #expect(body["pubkey"]?.stringValue == app.configuration.publicKeyHex)
    #expect(body["timestamp"]?.numberValue?.int64Value == Fixture.now)
    #expect(body["storage"] == "memory")
    #expect(!String(decoding: response.body, as: UTF8.self).contains(Fixture.secret))
  }

  @Test("unknown paths are 404 JSON", arguments: ["/", "/nope", "/health/", "/handle-payment/x", "/HEALTH"])
  func notFound(_ path: String) throws {
    let response = try Fixture.app().handle(HTTPRequest(method: "GET", path: path))
    #expect(response.status == 404)
    #expect(response.json["accept"] == false)
    #expect(response.json["code"] == "F00")
    #expect(response.json["message"]?.stringValue?.contains(path) == true)
  }

  @Test(
    "wrong methods are 405 JSON with Allow",
    arguments: [
      ("POST", "/health"), ("DELETE", "/health"), ("GET", "/handle-payment"), ("PUT", "/handle-packet"),
    ])
  func methodNotAllowed(_ method: String, _ path: String) throws {
    let response = try Fixture.app().handle(HTTPRequest(method: method, path: path))
    #expect(response.status == 405)
    #expect(response.json["code"] == "F00")
    #expect(response.headers.contains { $0.name == "Allow" })
  }

  @Test("an error is JSON in the reject shape: F00 below 500, T00 from 500")
  func errorShape() {
    let response = BLSApplication.error(413, "Request body too large: the limit is 100 bytes")
    #expect(response.status == 413)
    #expect(response.json["accept"] == false)
    #expect(response.json["code"] == "F00")
    #expect(response.json["message"] == "Request body too large: the limit is 100 bytes")
    #expect(BLSApplication.error(503, "busy").json["code"] == "T00")
  }

  @Test func storageFailureIsT00AndHTTP500() throws {
    let app = try Fixture.app(store: FailingStore())
    let event = try Fixture.event()
    let response = app.handle(
      Fixture.post("/handle-payment", Fixture.paymentBody(Fixture.toon(event), amount: "99999999")))
    #expect(response.status == 500)
    #expect(response.json["code"] == "T00")
    #expect(response.json["accept"] == false)
  }

  @Test("a storage failure reached later is T00 and HTTP 500 too, on both endpoints")
  func deferredStorageFailure() throws {
    let app = try Fixture.app(store: LaterStore(failing: true))
    let toon = try Fixture.toon(Fixture.event())
    let payment = deferredAnswer(app, Fixture.post("/handle-payment", Fixture.paymentBody(toon, amount: "99999999")))
    #expect(!payment.immediate && payment.responds == 1)
    #expect(payment.response?.status == 500)
    #expect(payment.response?.json["code"] == "T00")
    #expect(payment.response?.json["accept"] == false)
  }

  @Test func ownerPaysNothingButStillNeedsAValidSignature() throws {
    let owner = try SecretKey(hex: "7f7ff03d123792d6ac594bfa67bf6d0c0ab55b6b1fdb6249303fe861f1ccba9a")
    let store = InMemoryEventStore()
    let app = try Fixture.app(["OWNER_PUBKEY": owner.publicKey.hex], store: store)
    let event = try Fixture.event(key: owner)
    let ok = app.handle(Fixture.post("/handle-payment", Fixture.paymentBody(Fixture.toon(event), amount: "0")))
    #expect(ok.status == 200)
    #expect(try store.event(id: event.id) != nil)
    var forged = event
    forged.content = "changed"
    let bad = app.handle(Fixture.post("/handle-payment", Fixture.paymentBody(Fixture.toon(forged), amount: "0")))
    #expect(bad.json["message"] == "Invalid event signature")
  }

  @Test func hugePricesDoNotOverflow() throws {
    let app = try Fixture.app(["BLS_BASE_PRICE_PER_BYTE": "1" + String(repeating: "0", count: 30)])
    let toon = Fixture.toon(try Fixture.event())
    let response = app.handle(
      Fixture.post("/handle-payment", Fixture.paymentBody(toon, amount: "18446744073709551615")))
    #expect(response.json["code"] == "F06")
    #expect(response.json["metadata"]?["required"]?.stringValue == "\(toon.count)" + String(repeating: "0", count: 30))
  }

  @Test func oversizedEventIsRejectedBeforeDecoding() throws {
    let app = try Fixture.app(["BLS_MAX_EVENT_BYTES": "1000"])
    let toon = Fixture.toon(try Fixture.event(content: String(repeating: "x", count: 2000)))
    let response = app.handle(Fixture.post("/handle-payment", Fixture.paymentBody(toon, amount: "99999999999")))
    #expect(response.status == 400)
    #expect(response.json["message"]?.stringValue?.contains("BLS_MAX_EVENT_BYTES") == true)
  }

  @Test func tooManyTagsIsF00() throws {
    let tags = Array(repeating: ["t", "x"], count: 2001)
    let toon = Fixture.toon(try Fixture.event(tags: tags))
    let response = try Fixture.app().handle(
      Fixture.post("/handle-payment", Fixture.paymentBody(toon, amount: "99999999999")))
    #expect(response.json["code"] == "F00")
    #expect(response.json["message"]?.stringValue?.contains("2001 tags") == true)
  }

  @Test func deepNestingIsRejected() throws {
    var toon = "id: x\ntags[1]:\n  - [1]:\n"
    var indent = "    "
    for _ in 0..<20 {
      toon += indent + "- [1]:\n"
      indent += "  "
    }
    toon += indent + "- a\n"
    let response = try Fixture.app().handle(
      Fixture.post("/handle-payment", Fixture.paymentBody(Array(toon.utf8), amount: "1")))
    #expect(response.json["code"] == "F00")
    #expect(response.json["message"]?.stringValue?.hasPrefix("Invalid TOON data: ") == true)
  }

  @Test(
    "strict amount grammar says why",
    arguments: [
      (" 12", "whitespace"), ("+12", "sign"), ("-5", "sign"), ("0x10", "0x"), ("18446744073709551616", "uint64"),
      ("abc", nil), ("0x", nil), ("-", nil), ("1.5", nil),
    ])
  func amountMessages(_ amount: String, _ reason: String?) throws {
    let toon = Fixture.toon(try Fixture.event())
    let response = try Fixture.app().handle(
      Fixture.post("/handle-payment", Fixture.paymentBody(toon, amount: .string(amount))))
    let message = response.json["message"]?.stringValue ?? ""
    if let reason {
      #expect(message.hasPrefix("Invalid amount format: ") && message.contains(reason), "\(amount): \(message)")
    } else {
      #expect(message == "Invalid amount format", "\(amount): \(message)")
    }
  }

  /// Step 1 mirrors the reference's `!field` test: JavaScript-falsy values are missing.
  @Test(
    "falsy fields are missing, as the reference's truthiness test says",
    arguments: [
      ("amount", JSONValue.bool(false)), ("destination", .bool(false)), ("destination", 0), ("data", 0),
      ("data", .bool(false)), ("destination", ""), ("amount", .null),
    ])
  func falsyFieldsAreMissing(_ field: String, _ value: JSONValue) throws {
    let toon = Fixture.toon(try Fixture.event())
    guard case .object(var body) = try JSONValue.parse(Fixture.paymentBody(toon, amount: "99999999")) else { return }
    body[field] = value
    let response = try Fixture.app().handle(Fixture.post("/handle-payment", JSONValue.object(body).serializedBytes))
    #expect(response.json["message"] == "Missing required fields: amount, destination, data")
  }

  @Test func destinationIsNotRouted() throws {
    let toon = Fixture.toon(try Fixture.event())
    guard case .object(var body) = try JSONValue.parse(Fixture.paymentBody(toon, amount: "99999999")) else { return }
    body["destination"] = 42
    let response = try Fixture.app().handle(Fixture.post("/handle-payment", JSONValue.object(body).serializedBytes))
    #expect(response.status == 200)
  }
}
