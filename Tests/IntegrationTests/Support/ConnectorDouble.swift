import Foundation
import JSON
import Nostr

/// The connector of ALLiDoizCode/agent-runtime as BLS meets it in production
/// (`packages/connector/src/core/local-delivery-client.ts` and `payment-handler.ts`), reduced to
/// its documented rules, so tests can say what the *sender* of a packet ends up with:
///
/// - an expired packet is rejected R00 before any HTTP call;
/// - the URL is `LOCAL_DELIVERY_URL + "/handle-packet"` (plain string joining: a trailing
///   slash gives `//handle-packet`), health is `LOCAL_DELIVERY_URL + "/health"`;
/// - the body is `{paymentId, destination, amount, expiresAt, data?}` (`paymentId` random,
///   `expiresAt` ISO-8601 with milliseconds, `data` omitted when empty); no Authorization header;
/// - after `LOCAL_DELIVERY_TIMEOUT` the request is aborted (the socket closed): R00;
/// - any non-2xx answer, a body that is not JSON, or one without a boolean `accept`: T00;
/// - on accept the fulfillment is SHA-256 of the packet's data, and SHA-256 of it must equal the
///   packet's execution condition (checked after BLS answered), else the sender gets F05;
/// - a reject's `rejectReason.code` goes through `REJECT_CODE_MAP` (``ilpCode(for:)``), F99
///   without a `rejectReason`; a top-level base64 `data` up to 32 KiB is forwarded, larger or
///   malformed data is dropped.
struct ConnectorDouble {
  /// What the sender of the ILP packet receives.
  enum Outcome: Equatable {
    case fulfill(fulfillment: [UInt8], data: [UInt8])
    case reject(code: String, message: String, data: [UInt8])

    /// The ILP error code of a reject, `nil` for a fulfill.
    var rejectCode: String? {
      if case .reject(let code, _, _) = self { return code }
      return nil
    }
  }

  /// An ILP Prepare as the connector holds it.
  struct Packet {
    var amount: String
    var destination: String
    var data: [UInt8]
    var expiresAt: Date
    var executionCondition: [UInt8]

    /// A packet whose condition the fulfillment SHA-256(data) meets, expiring in 30 s.
    init(amount: String, destination: String = "g.test.bls", data: [UInt8], expiresIn: TimeInterval = 30) {
      self.amount = amount
      self.destination = destination
      self.data = data
      self.expiresAt = Date().addingTimeInterval(expiresIn)
      self.executionCondition = SHA256.hash(SHA256.hash(data))
    }
  }

  /// `LOCAL_DELIVERY_URL`, e.g. `http://127.0.0.1:3100` (a trailing slash is kept as given).
  let handlerURL: String
  /// `LOCAL_DELIVERY_TIMEOUT` in milliseconds (the connector's default is 30 000).
  var timeoutMilliseconds = 30_000
  /// Whether the request carries the packet's `executionCondition` (base64), as a future
  /// connector may; today's does not send it.
  var sendsCondition = false

  /// `REJECT_CODE_MAP` of `payment-handler.ts`: the ILP code for a BLS reject code.
  static func ilpCode(for code: String) -> String {
    switch code {
    case "insufficient_funds": "T04"
    case "expired": "R00"
    case "invalid_request": "F00"
    case "invalid_amount": "F03"
    case "unexpected_payment": "F06"
    case "application_error": "F99"
    case "internal_error", "timeout": "T00"
    default: "F99"
    }
  }

  /// Delivers `packet` as the connector does and returns what the sender gets.
  func deliver(_ packet: Packet) -> Outcome {
    if packet.expiresAt < Date() { return .reject(code: "R00", message: "Payment has expired", data: []) }
    var request = JSONObject()
    request["paymentId"] = .string(UUID().uuidString.lowercased())
    request["destination"] = .string(packet.destination)
    request["amount"] = .string(packet.amount)
    request["expiresAt"] = .string(Self.isoString(packet.expiresAt))
    if !packet.data.isEmpty { request["data"] = .string(Data(packet.data).base64EncodedString()) }
    if sendsCondition { request["executionCondition"] = .string(Data(packet.executionCondition).base64EncodedString()) }
    let answer: HTTPAnswer
    do {
      let (host, port, prefix) = try endpoint()
      let connection = try HTTPConnection(port: port, host: host, timeoutMilliseconds: timeoutMilliseconds)
      defer { connection.shutdown() }  // the connector's AbortController: the socket closes
      answer = try connection.request(
        "POST", prefix + "/handle-packet", headers: [("Content-Type", "application/json")],
        body: JSONValue.object(request).serializedBytes)
    } catch let error as HTTPClientError where error.timedOut {
      return .reject(code: "R00", message: "Business logic server request timed out", data: [])
    } catch {
      return .reject(code: "T00", message: "\(error)", data: [])
    }
    guard (200..<300).contains(answer.status) else {
      return .reject(code: "T00", message: "Business logic server returned status \(answer.status)", data: [])
    }
    guard let result = try? JSONValue.parse(answer.body), case .bool(let accept)? = result["accept"] else {
      return .reject(code: "T00", message: "Malformed response from business logic server", data: [])
    }
    let data = Self.validatedData(result["data"])
    if accept {
      let fulfillment = SHA256.hash(packet.data)
      guard SHA256.hash(fulfillment) == packet.executionCondition else {
        return .reject(code: "F05", message: "fulfillment does not match the condition", data: [])
      }
      return .fulfill(fulfillment: fulfillment, data: data)
    }
    guard let reason = result["rejectReason"], let code = reason["code"]?.stringValue else {
      return .reject(code: "F99", message: "Payment rejected", data: data)
    }
    return .reject(code: Self.ilpCode(for: code), message: reason["message"]?.stringValue ?? "", data: data)
  }

  /// The connector's health check: GET `LOCAL_DELIVERY_URL + "/health"`, healthy on any 2xx.
  func isHealthy() -> Bool {
    guard let (host, port, prefix) = try? endpoint(),
      let connection = try? HTTPConnection(port: port, host: host, timeoutMilliseconds: 5000),
      let answer = try? connection.request("GET", prefix + "/health")
    else { return false }
    connection.shutdown()
    return (200..<300).contains(answer.status)
  }

  /// `validateResponseData`: base64 text of at most 32 KiB of bytes, else nothing.
  static func validatedData(_ value: JSONValue?) -> [UInt8] {
    guard let text = value?.stringValue, let bytes = Data(base64Encoded: text), bytes.count <= 32 * 1024 else {
      return []
    }
    return Array(bytes)
  }

  /// Host, port and path prefix of ``handlerURL`` (`http://HOST:PORT[/prefix]`).
  private func endpoint() throws -> (String, Int, String) {
    guard handlerURL.hasPrefix("http://") else { throw HTTPClientError(description: "not http: \(handlerURL)") }
    let rest = handlerURL.dropFirst("http://".count)
    let authority = rest.prefix { $0 != "/" }
    let prefix = String(rest.dropFirst(authority.count))
    let parts = authority.split(separator: ":")
    guard parts.count == 2, let port = Int(parts[1]) else {
      throw HTTPClientError(description: "no port: \(handlerURL)")
    }
    return (String(parts[0]), port, prefix)
  }

  /// JavaScript's `Date.prototype.toISOString()`: `YYYY-MM-DDTHH:MM:SS.mmmZ`, UTC.
  static func isoString(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
  }
}
