import JSON

/// The fields of a /handle-packet body, in either of the two shapes callers send.
///
/// - The connector's (`agent-runtime` `local-delivery-client.ts`): `{paymentId, destination,
///   amount, expiresAt, data?, isTransit?}`. `paymentId`, `destination`, `amount` and
///   `expiresAt` are required; `amount` is a string (no JSON number), `expiresAt` an RFC 3339
///   date-time (``Timestamp``), `isTransit` a boolean.
/// - The legacy one (the original BLS's, which ALLiDoizCode/crosstown's `packages/bls` moved to
///   this path): `{amount, destination, data, sourceAccount?}`, recognised by having neither
///   `paymentId` nor `expiresAt`, and read exactly as /handle-payment reads its body
///   (``PaymentHandler/fields(_:)-(JSONValue)``).
///
/// Either may carry `executionCondition` (``ExecutionCondition``).
struct PacketRequest {
  /// `expiresAt`, for the connector's shape.
  struct Expiry {
    var text: String
    var unixMillis: Int64
  }

  /// `nil` for the legacy shape.
  var expiry: Expiry?
  /// The amount as sent (parsed by ``Amount`` only when the event is priced).
  var amount: JSONValue
  /// The base64 TOON event; `nil` when a connector packet carries no data.
  var data: String?
  var isTransit: Bool
  var executionCondition: ExecutionCondition?

  init(body: [UInt8]) throws(PaymentFailure) {
    let json = try PaymentHandler.parse(body)
    let object = json.objectValue ?? JSONObject()
    func isAbsent(_ name: String) -> Bool {
      object[name] == nil || object[name] == .null
    }
    if isAbsent("paymentId") && isAbsent("expiresAt") {
      let (data, amount) = try PaymentHandler.fields(json)
      self.amount = amount
      self.data = data
      expiry = nil
      isTransit = false
    } else {
      guard json.objectValue != nil else { throw .invalidPacket("body must be a JSON object") }
      func string(_ name: String) throws(PaymentFailure) -> String {
        guard let value = object[name]?.stringValue, !value.isEmpty else {
          throw .invalidPacket("\(name) is required and must be a non-empty string")
        }
        return value
      }
      _ = try string("paymentId")
      _ = try string("destination")
      // The connector writes `amount.toString()`: a string, checked by ``Amount`` when the
      // event is priced. Any other JSON type is a malformed amount (`invalid_amount`, F03).
      switch object["amount"] {
      case nil, .null?, .string("")?:
        throw .invalidPacket("amount is required and must be a non-empty string")
      case .string(let text)?: self.amount = .string(text)
      default: throw .invalidAmount(detail: "must be a string of decimal digits")
      }
      let expiresAt = try string("expiresAt")
      guard let millis = Timestamp.unixMillis(expiresAt) else {
        throw .invalidPacket("expiresAt must be an RFC 3339 date-time such as 2025-01-01T00:00:00.000Z")
      }
      expiry = Expiry(text: expiresAt, unixMillis: millis)
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
    switch object["executionCondition"] {
    case nil, .null?: executionCondition = nil
    case .string(let text)?: executionCondition = try ExecutionCondition(base64: text)
    default: throw .invalidPacket("executionCondition must be the base64 of 32 bytes")
    }
  }
}
