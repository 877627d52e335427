import BLSApp
import BLSTestSupport
import ExtrasBase64
import JSON
import Nostr
import Testing

/// Issue 12 item 4: the price reaches the sender — in an underpayment reject's `data` on
/// /handle-packet, and from `GET /pricing` for senders that ask first.
@Suite("The price reaches the sender")
struct PricingTests {
  /// The `data` of an answer, checked as the connector's `validateResponseData` does
  /// (`payment-handler.ts`): base64 that re-encodes to itself, at most 32 KiB decoded.
  func quote(_ response: HTTPResponse) throws -> JSONValue {
    let data = try #require(response.json["data"]?.stringValue)
    let bytes = try Base64.decode(string: data)
    #expect(Base64.encodeToString(bytes: bytes) == data, "the connector drops data that does not round-trip")
    #expect(bytes.count <= 32768)
    return try JSONValue.parse(bytes)
  }

  @Test("an underpayment reject carries the quote in data, in both shapes")
  func underpaymentQuote() throws {
    let toon = Fixture.toon(try Fixture.event())
    let expected: JSONValue = [
      "required": .string("\(toon.count * 10)"), "received": .string("\(toon.count * 10 - 1)"), "kind": 1,
      "pricePerByte": "10", "bytes": .number(JSONNumber(Int64(toon.count))),
    ]
    let amount = JSONValue.string("\(toon.count * 10 - 1)")
    for body in [Fixture.packetBody(toon, amount: amount), Fixture.paymentBody(toon, amount: amount)] {
      let response = try Fixture.app().handle(Fixture.post("/handle-packet", body))
      #expect(response.status == 200)
      #expect(response.json["rejectReason"]?["code"] == "unexpected_payment")
      #expect(try quote(response) == expected)
      // The exact bytes: the project's JSONWriter, compact, in this key order.
      let data = try #require(response.json["data"]?.stringValue)
      #expect(
        String(decoding: try Base64.decode(string: data), as: UTF8.self)
          == #"{"required":"\#(toon.count * 10)","received":"\#(toon.count * 10 - 1)","kind":1,"pricePerByte":"10","bytes":\#(toon.count)}"#
      )
    }
    // /handle-payment's answer is the reference's: no data.
    let payment = try Fixture.app().handle(Fixture.post("/handle-payment", Fixture.paymentBody(toon, amount: amount)))
    #expect(payment.json["code"] == "F06" && payment.json["data"] == nil)
  }

  @Test("the quote names the kind's price and the SPSP cap's effect")
  func quoteWithOverridesAndCap() throws {
    let env = ["BLS_KIND_OVERRIDES": #"{"30023":"25"}"#, "SPSP_MIN_PRICE": "600"]
    let article = Fixture.toon(try Fixture.event(kind: 30023, tags: [["d", "a"]]))
    let reject = try Fixture.app(env).handle(Fixture.post("/handle-packet", Fixture.packetBody(article, amount: "1")))
    #expect(try quote(reject)["pricePerByte"] == "25")
    #expect(try quote(reject)["required"]?.stringValue == "\(article.count * 25)")
    let spsp = Fixture.toon(try Fixture.event(kind: 23194))
    let capped = try Fixture.app(env).handle(Fixture.post("/handle-packet", Fixture.packetBody(spsp, amount: "1")))
    #expect(try quote(capped)["required"] == "600")
    #expect(try quote(capped)["pricePerByte"] == "10")
    #expect(try quote(capped)["kind"] == 23194)
  }

  @Test("a sender that retries once with the quoted amount is accepted")
  func retryWithTheQuote() throws {
    let store = InMemoryEventStore()
    let app = try Fixture.app(store: store)
    let event = try Fixture.event()
    let toon = Fixture.toon(event)
    let reject = app.handle(Fixture.post("/handle-packet", Fixture.packetBody(toon, amount: "0")))
    #expect(try store.event(id: event.id) == nil)
    let required = try #require(try quote(reject)["required"])
    let retry = app.handle(Fixture.post("/handle-packet", Fixture.packetBody(toon, amount: required)))
    #expect(retry.json["accept"] == true)
    #expect(try store.event(id: event.id) != nil)
  }

  @Test func theQuoteIsSmallWhateverTheNumbers() {
    let worst = PriceShortfall(
      required: .max, received: .max, kind: 65535, pricePerByte: PricingPolicy.maxPricePerByte, bytes: 1_048_576)
    #expect(worst.quoteJSON.count < 200)
    #expect(Array(worst.quoteBase64.utf8).count < 300)
  }

  @Test func pricingWithDefaults() throws {
    let response = try Fixture.app().handle(HTTPRequest(method: "GET", path: "/pricing"))
    #expect(response.status == 200)
    #expect(response.headers.contains { $0.name == "Content-Type" && $0.value == "application/json" })
    var body = response.json.objectValue ?? JSONObject()
    #expect(body["note"]?.stringValue?.isEmpty == false)
    body["note"] = nil
    #expect(
      JSONValue.object(body) == [
        "basePricePerByte": "10", "kindOverrides": [:], "spspKind": 23194, "spspPriceCap": nil,
        "maxEventBytes": 65536, "ownerEventsFree": false,
      ])
  }

  @Test func pricingWithEverythingSet() throws {
    let owner = try SecretKey(hex: "7f7ff03d123792d6ac594bfa67bf6d0c0ab55b6b1fdb6249303fe861f1ccba9a").publicKey.hex
    let token = "s3cret-token-0123456789"
    let app = try Fixture.app([
      "BLS_BASE_PRICE_PER_BYTE": "7", "BLS_KIND_OVERRIDES": #"{"30023":"25","0":"0","1984":"100000000000000000000"}"#,
      "SPSP_MIN_PRICE": "600", "BLS_MAX_EVENT_BYTES": "1024", "OWNER_PUBKEY": owner, "BLS_AUTH_TOKEN": token,
    ])
    let response = app.handle(HTTPRequest(method: "GET", path: "/pricing"))
    #expect(response.status == 200, "/pricing stays open when BLS_AUTH_TOKEN is set")
    #expect(response.json["basePricePerByte"] == "7")
    #expect(response.json["kindOverrides"] == ["0": "0", "1984": "100000000000000000000", "30023": "25"])
    #expect(response.json["kindOverrides"]?.objectValue?.orderedKeys == ["0", "1984", "30023"])
    #expect(response.json["spspPriceCap"] == "600")
    #expect(response.json["maxEventBytes"] == 1024)
    #expect(response.json["ownerEventsFree"] == true)
    let text = String(decoding: response.body, as: UTF8.self)
    for secret in [Fixture.secret, token, owner] {
      #expect(!text.contains(secret))
    }
  }

  @Test(
    "/pricing answers GET and HEAD, 405 otherwise",
    arguments: [("GET", 200), ("HEAD", 200), ("POST", 405), ("PUT", 405)])
  func pricingMethods(_ method: String, _ status: Int) throws {
    let response = try Fixture.app().handle(HTTPRequest(method: method, path: "/pricing"))
    #expect(response.status == status)
    if status == 405 {
      #expect(response.headers.contains { $0.name == "Allow" && $0.value == "GET, HEAD" })
      #expect(response.json["accept"] == false)
    }
  }
}
