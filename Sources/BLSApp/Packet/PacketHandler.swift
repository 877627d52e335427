import JSON
import Nostr

/// POST /handle-packet (docs/contract.md, **beyond**): the path the `agent-runtime` connector
/// (`local-delivery-client.ts`) posts to, and where ALLiDoizCode/crosstown's `packages/bls`
/// moved the legacy body; ``PacketRequest`` reads both shapes.
///
/// Every decision is HTTP 200, because the connector treats any other status as T00, and
/// every answer carries both callers' shapes:
///
/// - accept: `{"accept":true,"fulfillment":…,"metadata":{"eventId":…,"storedAt":…}}`, as on
///   /handle-payment (the connector ignores the fulfillment and computes SHA-256(data)
///   itself). A transit notification (`isTransit: true`) is `{"accept":true}`: nothing is
///   decoded or stored.
/// - reject: `{"accept":false,"code":…,"message":…,"metadata":…,"rejectReason":{"code":…,
///   "message":…},"data":…}`. `rejectReason.code` is the business code the connector maps
///   (``PacketRejectCode``); the top-level `code` is the ILP code that map gives it, which
///   is what crosstown's legacy callers read (they compare ILP codes such as `F06`). One
///   answer never carries two meanings: `code` is always `REJECT_CODE_MAP[rejectReason.code]`.
///   `metadata` (`{required, received}`) and `data` (base64 of ``PriceShortfall/quoteJSON``,
///   which the connector forwards in the ILP REJECT) come with an underpayment only.
///
/// Why the top-level `code` is an ILP code and not the business code: crosstown's BLS answered
/// `{"accept":false,"code":"F06",…}` (ILP codes, `HandlePacketRejectResponse`), so its callers
/// read an ILP code there, while the connector reads only `rejectReason.code` and sends
/// `REJECT_CODE_MAP[rejectReason.code]`. Putting that same ILP code at the top makes both
/// generations turn one reject into one ILP code. (crosstown's BLS sent its rejects with HTTP
/// 400; here they are 200, like every decision, because the connector reads any other status
/// as T00.)
struct PacketHandler: Sendable {
  let decider: PaymentDecider
  /// `BLS_REQUEST_TIMEOUT_MS`.
  let timeoutMillis: Int
  /// The application's clock (Unix ms), read when the packet is decided.
  let clock: @Sendable () -> Int64
  /// Where each decision is counted.
  let metrics: RequestMetrics

  /// Decides a request that arrived at `arrival` (Unix ms) without waiting for the store: a decision reached before step 10
  /// is returned; otherwise `nil`, and `respond` gets the answer once the event is durable.
  func handle(_ request: HTTPRequest, arrival: Int64, respond: @escaping HTTPResponder) -> HTTPResponse? {
    let started = metrics.now()
    switch check(request, arrival: arrival) {
    case .answer(let response, let failure):
      if let failure {
        metrics.rejected(.packet, PacketRejectCode(failure).ilpCode, started: started)
      } else {
        metrics.accepted(.packet, amount: 0, started: started)
      }
      return response
    case .store(let event, let deadline, let now, let paid):
      let accepted = Self.accepted(PaymentDecider.acceptance(event, .stored, now: now))
      let metrics = metrics
      decider.store(event, deadline: deadline, abandonment: request.abandonment, clock: clock) { failure in
        if let failure {
          metrics.rejected(.packet, PacketRejectCode(failure).ilpCode, started: started)
        } else {
          metrics.accepted(.packet, amount: paid, started: started)
        }
        respond(failure.map { Self.rejected($0) } ?? accepted)
      }
      return nil
    }
  }

  private enum Check {
    /// An answer now: a reject (with its failure) or a transit accept (`nil`).
    case answer(HTTPResponse, PaymentFailure?)
    /// An event to store; `paid` is the amount for the metrics (0 when an owner's free event
    /// came without a valid one).
    case store(NostrEvent, RequestDeadline, now: Int64, paid: UInt64)
  }

  /// Everything before storing: the packet's fields, expiry, transit, steps 2–9 (with the
  /// execution condition), then the deadline at decision time.
  private func check(_ request: HTTPRequest, arrival: Int64) -> Check {
    do throws(PaymentFailure) {
      let packet = try PacketRequest(body: request.body)
      let deadline = RequestDeadline(
        arrival: arrival, timeoutMillis: timeoutMillis, expiresAt: packet.expiry?.unixMillis,
        expiresAtText: packet.expiry?.text)
      if let failure = deadline.failure(at: arrival) { throw failure }
      if packet.isTransit {
        return .answer(.json(200, ["accept": true]), nil)
      }
      guard let data = packet.data else {
        throw PaymentFailure.invalidPacket("data is required: this BLS is paid to store Nostr events")
      }
      let event = try decider.checkedEvent(
        data: data, amount: packet.amount, executionCondition: packet.executionCondition)
      let now = clock()
      if let failure = deadline.failure(at: now) { throw failure }
      return .store(event, deadline, now: now, paid: (try? Amount.parse(packet.amount)) ?? 0)
    } catch {
      return .answer(Self.rejected(error), error)
    }
  }

  /// The accept of both shapes: /handle-payment's body, HTTP 200.
  static func accepted(_ acceptance: PaymentDecider.Acceptance) -> HTTPResponse {
    .json(200, .object(PaymentHandler.acceptBody(acceptance)))
  }

  /// The reject of both shapes, HTTP 200.
  static func rejected(_ failure: PaymentFailure) -> HTTPResponse {
    let code = PacketRejectCode(failure)
    var body: JSONObject = [
      "accept": false, "code": .string(code.ilpCode.rawValue), "message": .string(failure.message),
    ]
    if case .insufficientAmount(let shortfall) = failure {
      body["metadata"] = shortfall.metadata
    }
    body["rejectReason"] = ["code": .string(code.rawValue), "message": .string(failure.message)]
    if case .insufficientAmount(let shortfall) = failure {
      body["data"] = .string(shortfall.quoteBase64)
    }
    return .json(200, .object(body))
  }
}
