import FoundationEssentials
import JSON
import Nostr

/// POST /handle-packet (docs/contract.md, **beyond**): the dialect of today's `agent-runtime`
/// connector (`local-delivery-client.ts`).
///
/// Request `{paymentId, destination, amount, expiresAt, data?, isTransit?}`. Every decision is
/// HTTP 200, because the connector treats any other status as an internal error:
/// `{"accept":true}` or `{"accept":false,"rejectReason":{"code":…,"message":…}}` with the
/// business codes of ``ILPRejectCode/packetBusinessCode``. No fulfillment is returned: the
/// connector computes it from the packet data itself.
struct PacketHandler: Sendable {
  let decider: PaymentDecider

  /// Answers without waiting for the store: a decision reached before step 10 is returned;
  /// otherwise `nil`, and `respond` gets the answer once the event is durable.
  func handle(_ request: HTTPRequest, now: Int64, respond: @escaping HTTPResponder) -> HTTPResponse? {
    switch check(request, now: now) {
    case .answer(let response): return response
    case .store(let event):
      let accepted = Self.answer(nil)
      decider.store(event) { failure in respond(failure.map { Self.answer($0) } ?? accepted) }
      return nil
    }
  }

  private enum Check {
    case answer(HTTPResponse)
    case store(NostrEvent)
  }

  /// Everything before storing: the packet's fields, expiry, transit, and steps 2–9.
  private func check(_ request: HTTPRequest, now: Int64) -> Check {
    do throws(PaymentFailure) {
      let packet = try PacketRequest(body: request.body)
      if packet.expiresAtMillis < now {
        throw PaymentFailure.expired("expiresAt \(packet.expiresAt) is in the past")
      }
      if packet.isTransit {
        return .answer(Self.answer(nil))
      }
      guard let data = packet.data else {
        throw PaymentFailure.invalidPacket("data is required: this BLS is paid to store Nostr events")
      }
      return .store(try decider.checkedEvent(data: data, amount: .string(packet.amount)))
    } catch {
      return .answer(Self.answer(error))
    }
  }

  /// `{"accept":true}` (no failure), or the reject with its business code; always HTTP 200.
  static func answer(_ failure: PaymentFailure?) -> HTTPResponse {
    guard let failure else { return .json(200, ["accept": true]) }
    let code = ILPRejectCode(failure)
    var reason: JSONObject = ["code": .string(code.packetBusinessCode), "message": .string(failure.message)]
    if case .insufficientAmount(let required, let received) = failure {
      reason["metadata"] = ["required": .string(String(required)), "received": .string(String(received))]
    }
    return .json(200, ["accept": false, "rejectReason": .object(reason)])
  }
}

/// The fields of a /handle-packet body.
struct PacketRequest {
  var paymentID: String
  var destination: String
  var amount: String
  var expiresAt: String
  var expiresAtMillis: Int64
  var data: String?
  var isTransit: Bool

  init(body: [UInt8]) throws(PaymentFailure) {
    let json: JSONValue
    do {
      json = try JSONParser(maxDepth: 16).parse(body)
    } catch {
      throw .malformedBody(error.description)
    }
    guard let object = json.objectValue else {
      throw .invalidPacket("body must be a JSON object")
    }
    func string(_ name: String) throws(PaymentFailure) -> String {
      guard let value = object[name]?.stringValue, !value.isEmpty else {
        throw .invalidPacket("\(name) is required and must be a non-empty string")
      }
      return value
    }
    paymentID = try string("paymentId")
    destination = try string("destination")
    amount = try string("amount")
    expiresAt = try string("expiresAt")
    guard let date = try? Date(expiresAt, strategy: .iso8601) else {
      throw .invalidPacket("expiresAt must be an ISO-8601 date-time such as 2025-01-01T00:00:00.000Z")
    }
    expiresAtMillis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    switch object["data"] {
    case nil, .null?, .string("")?: data = nil
    case .string(let text)?: data = text
    default: throw .invalidPacket("data must be a base64 string")
    }
    switch object["isTransit"] {
    case nil, .null?, .bool(false)?: isTransit = false
    case .bool(true)?: isTransit = true
    default: throw .invalidPacket("isTransit must be a boolean")
    }
  }
}
