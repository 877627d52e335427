import BLSApp
import BLSTestSupport
import JSON
import Nostr
import Testing
import Threads

/// Issue 12 item 1 (the core's part): a deadline per request, the earlier of `expiresAt`
/// (/handle-packet) and arrival + `BLS_REQUEST_TIMEOUT_MS`, checked when the request is decided
/// and handed to the store, which checks it again when its batch forms. Time passes only on
/// the injected clock: no test waits.
@Suite("Request deadlines")
struct DeadlineTests {
  static let inFiveSeconds = "2023-11-14T22:13:25.000Z"  // Fixture.now + 5 000 ms

  func packetRequest(expiresAt: String = Fixture.future) throws -> HTTPRequest {
    Fixture.post(
      "/handle-packet",
      Fixture.packetBody(Fixture.toon(try Fixture.event()), amount: "99999999", expiresAt: expiresAt))
  }

  func paymentRequest() throws -> HTTPRequest {
    Fixture.post("/handle-payment", Fixture.paymentBody(Fixture.toon(try Fixture.event()), amount: "99999999"))
  }

  /// The answers of `handle(_:)` and `handle(_:respond:)`, each on a fresh app whose clock
  /// reads `arrival` first and `decision` after; and whether any store call happened.
  func answers(
    _ request: HTTPRequest, decision: Int64, env: [String: String] = [:]
  ) throws -> (responses: [HTTPResponse?], stored: Int) {
    let store = RecordingStore()
    let sync = try Fixture.app(env, store: store, clock: Fixture.steppingClock(later: decision)).handle(request)
    let deferred = deferredAnswer(
      try Fixture.app(env, store: store, clock: Fixture.steppingClock(later: decision)), request)
    return ([sync, deferred.response], store.received.value.count)
  }

  @Test func expiresAtPassedWhileDecidingIsExpired() throws {
    let (responses, stored) = try answers(packetRequest(expiresAt: Self.inFiveSeconds), decision: Fixture.now + 5001)
    for response in responses {
      #expect(response?.status == 200)
      #expect(response?.json["rejectReason"]?["code"] == "expired")
      #expect(response?.json["code"] == "R00")
      #expect(
        response?.json["message"]?.stringValue == "Payment expired: expiresAt \(Self.inFiveSeconds) is in the past")
    }
    #expect(stored == 0)
  }

  @Test func timeoutPassedWhileDecidingIsInternalError() throws {
    let (responses, stored) = try answers(packetRequest(), decision: Fixture.now + 10_001)
    for response in responses {
      #expect(response?.status == 200)
      #expect(response?.json["rejectReason"]?["code"] == "internal_error")
      #expect(response?.json["code"] == "T00")
      #expect(response?.json["message"]?.stringValue?.hasPrefix("Timed out before storing") == true)
    }
    #expect(stored == 0)
  }

  @Test("both passed: expired wins, as the issue says")
  func bothPassedIsExpired() throws {
    let (responses, stored) = try answers(packetRequest(expiresAt: Self.inFiveSeconds), decision: Fixture.now + 20_000)
    for response in responses { #expect(response?.json["rejectReason"]?["code"] == "expired") }
    #expect(stored == 0)
  }

  @Test("/handle-payment has the timeout too: T00, HTTP 500")
  func paymentTimeout() throws {
    let (responses, stored) = try answers(paymentRequest(), decision: Fixture.now + 10_001)
    for response in responses {
      #expect(response?.status == 500)
      #expect(response?.json["code"] == "T00")
      #expect(response?.json["message"]?.stringValue?.contains("BLS_REQUEST_TIMEOUT_MS (10000 ms)") == true)
    }
    #expect(stored == 0)
  }

  @Test("an instant passes once the clock is later than it", arguments: [("100", 100, true), ("100", 101, false)])
  func boundary(_ timeout: String, _ elapsed: Int64, _ inTime: Bool) throws {
    for request in [try packetRequest(), try paymentRequest()] {
      let (responses, stored) = try answers(
        request, decision: Fixture.now + elapsed, env: ["BLS_REQUEST_TIMEOUT_MS": timeout])
      for response in responses { #expect(response?.json["accept"] == .bool(inTime)) }
      #expect(stored == (inTime ? 2 : 0))
    }
    let (expiring, _) = try answers(packetRequest(expiresAt: Self.inFiveSeconds), decision: Fixture.now + 5000)
    for response in expiring { #expect(response?.json["accept"] == true) }
  }

  @Test("the store is given the earlier of expiresAt and arrival + timeout")
  func deadlineHandedToTheStore() throws {
    for (request, expected) in [
      (try packetRequest(), Fixture.now + 10_000),
      (try packetRequest(expiresAt: Self.inFiveSeconds), Fixture.now + 5000),
      (try paymentRequest(), Fixture.now + 10_000),
    ] {
      let store = LateBatchStore()
      _ = deferredAnswer(try Fixture.app(store: store), request)
      #expect(store.deadlines.value == [expected])
    }
  }

  /// A store that drops the event when its batch forms too late: the answer says why, from
  /// the clock when the store reports it.
  @Test("an event the store dropped at batch time is answered expired or timed out")
  func droppedAtBatchTime() throws {
    func answer(_ request: HTTPRequest, reported: Int64) throws -> HTTPResponse? {
      let clock = Fixture.clock(reads: [Fixture.now, Fixture.now, reported])
      return deferredAnswer(try Fixture.app(store: LateBatchStore(), clock: clock), request).response
    }
    let expired = try answer(packetRequest(expiresAt: Self.inFiveSeconds), reported: Fixture.now + 5001)
    #expect(expired?.json["rejectReason"]?["code"] == "expired")
    let timedOut = try answer(packetRequest(), reported: Fixture.now + 10_001)
    #expect(timedOut?.json["rejectReason"]?["code"] == "internal_error")
    #expect(timedOut?.json["message"]?.stringValue?.hasPrefix("Timed out before storing") == true)
    let payment = try answer(paymentRequest(), reported: Fixture.now + 10_001)
    #expect(payment?.status == 500 && payment?.json["code"] == "T00")
  }

  @Test("time queued before handling counts: receivedAt")
  func receivedAt() throws {
    for request in [try packetRequest(), try paymentRequest()] {
      let store = RecordingStore()
      let app = try Fixture.app(store: store)
      let early = app.handle(request, receivedAt: Fixture.now - 10_001) { _ in }
      #expect(early?.json["message"]?.stringValue?.hasPrefix("Timed out before storing") == true)
      let inTime = Locked<HTTPResponse?>(nil)
      let immediate = app.handle(request, receivedAt: Fixture.now - 10_000) { response in
        inTime.withLock { $0 = response }
      }
      #expect(immediate == nil)
      #expect(inTime.value?.json["accept"] == true)
      #expect(store.received.value.count == 1)
    }
  }

  /// `expiresAt` is RFC 3339, what `Date.prototype.toISOString()` writes; instants right
  /// around the clock's `now` (2023-11-14T22:13:20Z) pin the arithmetic to the millisecond.
  @Test(
    "expiresAt forms and their instants",
    arguments: [
      ("2023-11-14T22:13:20.000Z", true), ("2023-11-14T22:13:19.999Z", false), ("2023-11-14T22:13:20Z", true),
      ("2023-11-14t22:13:20z", true), ("2023-11-14T23:13:20.000+01:00", true), ("2023-11-14T23:13:19.999+01:00", false),
      ("2023-11-14T21:13:20-01:00", true), ("2023-11-14T21:13:19-01:00", false),
      ("2023-11-14T22:13:19.9999999Z", false),
      ("2023-11-14T22:13:20.0009Z", true), ("2023-11-14T22:13:20.5Z", true), ("2024-02-29T00:00:00Z", true),
      ("9999-12-31T23:59:59.999Z", true), ("0000-01-01T00:00:00Z", false), ("1970-01-01T00:00:00Z", false),
      ("2023-11-14T22:13:19.999999999Z", false),
    ])
  func expiresAtForms(_ expiresAt: String, _ inTime: Bool) throws {
    let response = try Fixture.app().handle(try packetRequest(expiresAt: expiresAt))
    #expect(response.json["accept"] == .bool(inTime), "\(expiresAt)")
    if !inTime { #expect(response.json["rejectReason"]?["code"] == "expired") }
  }

  @Test(
    "anything else is an invalid request",
    arguments: [
      "2023-11-14 22:13:20Z", "2023-11-14T22:13:20", "2023-11-14T22:13:20.Z", "2023-11-14T22:13:20.1234567890Z",
      "+275760-09-13T00:00:00.000Z", "2023-13-01T00:00:00Z", "2023-11-31T00:00:00Z", "2023-02-29T00:00:00Z",
      "2023-11-14T24:00:00Z", "2023-11-14T22:60:00Z", "2023-11-14T22:13:61Z", "2023-11-14T22:13:20+0100",
      "2023-11-14T22:13:20+24:00", "20231114T221320Z", "2023-11-14T22:13:20Z ", " 2023-11-14T22:13:20Z",
      "2023-1-14T22:13:20Z", "１９７０-01-01T00:00:00Z", "2023-11-14T22:13:20ZZ", String(repeating: "9", count: 10_000),
      "tomorrow", "1700000000000",
    ])
  func badExpiresAt(_ expiresAt: String) throws {
    let store = RecordingStore()
    let response = try Fixture.app(store: store).handle(try packetRequest(expiresAt: expiresAt))
    #expect(response.json["rejectReason"]?["code"] == "invalid_request", "\(expiresAt)")
    #expect(response.json["message"]?.stringValue?.contains("expiresAt") == true)
    #expect(store.received.value.isEmpty)
  }
}
