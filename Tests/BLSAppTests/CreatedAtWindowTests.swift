import BLSApp
import BLSTestSupport
import JSON
import Nostr
import Testing

/// Issue 14 item 3: the opt-in `created_at` window, checked before the price with the
/// application's clock (here fixed at ``Fixture/now``, 1 700 000 000 s).
@Suite("The created_at window (BLS_MAX_FUTURE_SECONDS, BLS_MAX_PAST_SECONDS)")
struct CreatedAtWindowTests {
  static let window = ["BLS_MAX_FUTURE_SECONDS": "900", "BLS_MAX_PAST_SECONDS": "86400"]
  static let nowSeconds: Int64 = Fixture.now / 1000

  /// Both endpoints' answers for an event dated `createdAt`, paid in full.
  func answers(
    createdAt: Int64, env: [String: String], store: RecordingStore = RecordingStore()
  ) throws -> (payment: HTTPResponse, packet: HTTPResponse) {
    let toon = Fixture.toon(try Fixture.event(createdAt: createdAt))
    let app = try Fixture.app(env, store: store)
    let amount = JSONValue.string("\(toon.count * 10)")
    return (
      app.handle(Fixture.post("/handle-payment", Fixture.paymentBody(toon, amount: amount))),
      app.handle(Fixture.post("/handle-packet", Fixture.packetBody(toon, amount: amount)))
    )
  }

  @Test(
    "inside the window, and at its edges, an event is accepted",
    arguments: [nowSeconds, nowSeconds + 900, nowSeconds - 86400, nowSeconds + 1, nowSeconds - 1])
  func inside(_ createdAt: Int64) throws {
    let (payment, packet) = try answers(createdAt: createdAt, env: Self.window)
    #expect(payment.status == 200)
    #expect(packet.json["accept"] == true)
  }

  @Test("one second too far ahead: F00 / invalid_request naming the limit, nothing stored")
  func tooFarAhead() throws {
    let store = RecordingStore()
    let (payment, packet) = try answers(createdAt: Self.nowSeconds + 901, env: Self.window, store: store)
    let message = "Invalid event created_at: 1700000901 is more than 900 seconds in the future (BLS_MAX_FUTURE_SECONDS)"
    #expect(payment.status == 400)
    #expect(payment.json["code"] == "F00")
    #expect(payment.json["message"]?.stringValue == message)
    #expect(packet.status == 200)
    #expect(packet.json["rejectReason"] == ["code": "invalid_request", "message": .string(message)])
    #expect(store.received.value.isEmpty)
  }

  @Test("one second too old: F00 / invalid_request naming the limit, nothing stored")
  func tooOld() throws {
    let store = RecordingStore()
    let (payment, packet) = try answers(createdAt: Self.nowSeconds - 86401, env: Self.window, store: store)
    let message = "Invalid event created_at: 1699913599 is more than 86400 seconds in the past (BLS_MAX_PAST_SECONDS)"
    #expect(payment.json["message"]?.stringValue == message)
    #expect(packet.json["rejectReason"]?["message"]?.stringValue == message)
    #expect(store.received.value.isEmpty)
  }

  @Test("the window comes before the price: an underpaid event outside it is told about the window")
  func beforePricing() throws {
    let toon = Fixture.toon(try Fixture.event(createdAt: Self.nowSeconds + 10_000))
    let app = try Fixture.app(Self.window)
    let response = app.handle(Fixture.post("/handle-payment", Fixture.paymentBody(toon, amount: "0")))
    #expect(response.json["code"] == "F00")
    #expect(response.json["message"]?.stringValue?.contains("BLS_MAX_FUTURE_SECONDS") == true)
  }

  @Test("unset (the default), any time is accepted, as the reference does")
  func unsetAcceptsAnyTime() throws {
    for createdAt: Int64 in [0, Self.nowSeconds + 100 * 365 * 86400, 1] {
      let (payment, packet) = try answers(createdAt: createdAt, env: [:])
      #expect(payment.status == 200, "created_at \(createdAt)")
      #expect(packet.json["accept"] == true)
    }
  }

  @Test("each bound works alone; 0 allows nothing on its side")
  func oneSideOnly() throws {
    let futureOnly = ["BLS_MAX_FUTURE_SECONDS": "0"]
    #expect(try answers(createdAt: Self.nowSeconds + 1, env: futureOnly).payment.json["code"] == "F00")
    #expect(try answers(createdAt: Self.nowSeconds, env: futureOnly).payment.status == 200)
    #expect(try answers(createdAt: 0, env: futureOnly).payment.status == 200)
    let pastOnly = ["BLS_MAX_PAST_SECONDS": "0"]
    #expect(try answers(createdAt: Self.nowSeconds - 1, env: pastOnly).payment.json["code"] == "F00")
    #expect(try answers(createdAt: Self.nowSeconds + 100_000, env: pastOnly).payment.status == 200)
  }

  @Test("the owner's events are held to the window too: it is not a price")
  func ownerToo() throws {
    let owner = try Fixture.event().pubkey
    let env = Self.window.merging(["OWNER_PUBKEY": owner]) { $1 }
    let toon = Fixture.toon(try Fixture.event(createdAt: Self.nowSeconds + 901))
    let response = try Fixture.app(env).handle(Fixture.post("/handle-payment", Fixture.paymentBody(toon, amount: "0")))
    #expect(response.json["code"] == "F00")
  }

  @Test("configuration: integers from 0 to 100 years, _FILE forms, one-line errors")
  func configuration() throws {
    func load(_ extra: [String: String], files: [String: String] = [:]) throws(ConfigurationError) -> BLSConfiguration {
      var env = ["NODE_ID": "node-a", "NOSTR_SECRET_KEY": Fixture.secret, "ILP_ADDRESS": "g.example.bls"]
      env.merge(extra) { $1 }
      return try BLSConfiguration.fromEnvironment(
        Environment(env) { (path: String) throws(FileReadError) -> String in
          guard let text = files[path] else { throw FileReadError(reason: "No such file or directory") }
          return text
        })
    }
    #expect(try load([:]).createdAtWindow == CreatedAtWindow())
    #expect(try load(Self.window).createdAtWindow == CreatedAtWindow(maxFutureSeconds: 900, maxPastSeconds: 86400))
    #expect(
      try load(["BLS_MAX_PAST_SECONDS_FILE": "/s"], files: ["/s": "3153600000\n"]).createdAtWindow.maxPastSeconds
        == 3_153_600_000)
    #expect(try load(Self.window).summary.contains("maxFutureSeconds=900 maxPastSeconds=86400"))
    for (name, bad) in [
      ("BLS_MAX_FUTURE_SECONDS", "-1"), ("BLS_MAX_FUTURE_SECONDS", "15m"), ("BLS_MAX_PAST_SECONDS", "3153600001"),
    ] {
      #expect(throws: ConfigurationError.self) { try load([name: bad]) }
      do {
        _ = try load([name: bad])
      } catch {
        #expect(
          error.description == "ERROR: \(name): must be an integer from 0 to 3153600000 (seconds), got \"\(bad)\"")
      }
    }
  }

  @Test("the clock is read only when the window is set")
  func clockReadOnlyWhenNeeded() throws {
    // Without a window the decision never reads the clock: `storedAt` is the handler's read,
    // the second; one more read would make it the third.
    let toon = Fixture.toon(try Fixture.event())
    let amount = JSONValue.string("\(toon.count * 10)")
    let app = try Fixture.app(clock: Fixture.clock(reads: [Fixture.now, Fixture.now + 5, Fixture.now + 7]))
    let accepted = app.handle(Fixture.post("/handle-payment", Fixture.paymentBody(toon, amount: amount)))
    #expect(accepted.json["metadata"]?["storedAt"] == .number(JSONNumber(Fixture.now + 5)))
    let windowed = try Fixture.app(
      ["BLS_MAX_PAST_SECONDS": "10"], clock: Fixture.clock(reads: [Fixture.now, Fixture.now + 11_000]))
    #expect(
      windowed.handle(Fixture.post("/handle-payment", Fixture.paymentBody(toon, amount: amount))).json["code"] == "F00")
  }
}
