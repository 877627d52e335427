import BLSApp
import BLSTestSupport
import JSON
import Testing

/// Issue 14 item 4: `BLS_KIND_OVERRIDES` keys may be inclusive kind ranges.
@Suite("Kind ranges in BLS_KIND_OVERRIDES")
struct KindRangeTests {
  static let overrides = ["BLS_KIND_OVERRIDES": #"{"5000-5999":"0","5500":"7"}"#]

  func configuration(_ extra: [String: String]) throws(ConfigurationError) -> BLSConfiguration {
    var env = ["NODE_ID": "node-a", "NOSTR_SECRET_KEY": Fixture.secret, "ILP_ADDRESS": "g.example.bls"]
    env.merge(extra) { $1 }
    return try BLSConfiguration.fromEnvironment(Environment(env))
  }

  func error(_ overrides: String) -> String? {
    do {
      _ = try configuration(["BLS_KIND_OVERRIDES": overrides])
      return nil
    } catch {
      return error.description
    }
  }

  @Test("a range prices its kinds, an exact kind wins over it, other kinds pay the base price")
  func pricesPerByte() throws {
    let pricing = try configuration(Self.overrides).pricing
    #expect(pricing.kindRanges == [KindPriceRange(kinds: 5000...5999, pricePerByte: 0)])
    #expect(pricing.kindOverrides == [5500: 7])
    #expect(pricing.pricePerByte(kind: 5100) == 0)
    #expect(pricing.pricePerByte(kind: 5000) == 0)
    #expect(pricing.pricePerByte(kind: 5999) == 0)
    #expect(pricing.pricePerByte(kind: 5500) == 7)
    #expect(pricing.pricePerByte(kind: 1) == 10)
    #expect(pricing.pricePerByte(kind: 4999) == 10)
    #expect(pricing.pricePerByte(kind: 6000) == 10)
  }

  @Test("several ranges, in any order, each price their own kinds")
  func severalRanges() throws {
    let pricing = try configuration(["BLS_KIND_OVERRIDES": #"{"30000-39999":"3","0-0":"1","10000-19999":"2","7":"9"}"#])
      .pricing
    #expect(pricing.kindRanges.map(\.key) == ["0-0", "10000-19999", "30000-39999"])
    let expected: [(Int, UInt128)] = [
      (0, 1), (1, 10), (7, 9), (9999, 10), (10000, 2), (19999, 2), (20000, 10), (30000, 3), (39999, 3), (40000, 10),
      (65535, 10),
    ]
    for (kind, price) in expected {
      #expect(pricing.pricePerByte(kind: kind) == price, "kind \(kind)")
    }
  }

  @Test("the price of a payment follows the range over HTTP, on both endpoints")
  func paymentsFollowTheRange() throws {
    let app = try Fixture.app(Self.overrides)
    for (kind, perByte) in [(5100, 0), (5500, 7), (1, 10)] {
      let toon = Fixture.toon(try Fixture.event(kind: kind))
      let price = toon.count * perByte
      if price > 0 {
        let short = app.handle(
          Fixture.post("/handle-payment", Fixture.paymentBody(toon, amount: .string("\(price - 1)"))))
        #expect(short.json["code"] == "F06", "kind \(kind)")
        #expect(short.json["metadata"]?["required"]?.stringValue == "\(price)", "kind \(kind)")
      }
      let paid = app.handle(Fixture.post("/handle-packet", Fixture.packetBody(toon, amount: .string("\(price)"))))
      #expect(paid.json["accept"] == true, "kind \(kind)")
    }
  }

  @Test("GET /pricing shows ranges as given, beside kinds, by their first kind")
  func pricingDocument() throws {
    let app = try Fixture.app(["BLS_KIND_OVERRIDES": #"{"5500":"7","5000-5999":"0","1":"2","5000":"4"}"#])
    let response = app.handle(HTTPRequest(method: "GET", path: "/pricing"))
    #expect(response.json["kindOverrides"] == ["1": "2", "5000": "4", "5000-5999": "0", "5500": "7"])
    #expect(response.json["kindOverrides"]?.objectValue?.orderedKeys == ["1", "5000", "5000-5999", "5500"])
    #expect(app.configuration.summary.contains("kindOverrides={1:2,5000:4,5000-5999:0,5500:7}"))
  }

  @Test(
    "a bad key stops the server at start with the one-line error",
    arguments: [
      (#"{"5999-5000":"1"}"#, #"key "5999-5000" is a reversed range"#),
      (#"{"5000-5999":"1","5900-6000":"2"}"#, #"kind ranges "5000-5999" and "5900-6000" overlap"#),
      (#"{"1-10":"1","10-20":"2"}"#, #"kind ranges "1-10" and "10-20" overlap"#),
      (#"{"0-65536":"1"}"#, "from 0 to 65535 or a range"),
      (#"{"65536":"1"}"#, "from 0 to 65535 or a range"),
      (#"{"-5":"1"}"#, "from 0 to 65535 or a range"),
      (#"{"5-":"1"}"#, "from 0 to 65535 or a range"),
      (#"{"1-2-3":"1"}"#, "from 0 to 65535 or a range"),
      (#"{" 1-2":"1"}"#, "from 0 to 65535 or a range"),
      (#"{"1-2":"x"}"#, "non-negative integer"),
      (#"{"1":"1","1":"2"}"#, #"key "1" given twice"#),
      (#"{"7":"1","007":"2"}"#, "kind 7 is given twice"),
    ])
  func refused(_ overrides: String, _ expected: String) {
    let message = error(overrides)
    #expect(message?.hasPrefix("ERROR: BLS_KIND_OVERRIDES: ") == true)
    #expect(message?.contains(expected) == true, "\(message ?? "accepted")")
    #expect(message?.contains("\n") == false)
  }

  @Test("adjacent ranges and a one-kind range are fine")
  func adjacent() throws {
    let pricing = try configuration(["BLS_KIND_OVERRIDES": #"{"1-9":"1","10-19":"2","20-20":"3"}"#]).pricing
    #expect(pricing.pricePerByte(kind: 9) == 1)
    #expect(pricing.pricePerByte(kind: 10) == 2)
    #expect(pricing.pricePerByte(kind: 20) == 3)
    #expect(pricing.pricePerByte(kind: 21) == 10)
  }
}
