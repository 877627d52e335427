import BLSApp
import ExtrasBase64
import Foundation
import JSON
import Nostr
import TOON

/// Builders for the metrics tests: an application, signed events, request bodies.
enum MetricsFixture {
  static let secret = "16b6c6f760f4a342c29f413fa99d658126ef5bd17362aff1eba1eb4af20627bf"
  static let author = "7f7ff03d123792d6ac594bfa67bf6d0c0ab55b6b1fdb6249303fe861f1ccba9a"

  static func configuration(_ extra: [String: String] = [:]) throws(ConfigurationError) -> BLSConfiguration {
    var env = ["NODE_ID": "node-m", "NOSTR_SECRET_KEY": secret, "ILP_ADDRESS": "g.example.bls"]
    env.merge(extra) { $1 }
    return try BLSConfiguration.fromEnvironment(Environment(env))
  }

  static func event(kind: Int = 1, content: String, createdAt: Int64 = 1_700_000_000) throws -> NostrEvent {
    NostrEvent.signed(
      secretKey: try SecretKey(hex: author), createdAt: createdAt, kind: kind, tags: [], content: content)
  }

  static func data(_ event: NostrEvent) -> String {
    Base64.encodeToString(bytes: Array(TOONEncoder().encode(event.jsonValue).utf8))
  }

  static func payment(_ event: NostrEvent, amount: String) -> HTTPRequest {
    post(
      "/handle-payment",
      ["amount": .string(amount), "destination": "g.example.bls", "data": .string(data(event))])
  }

  static func packet(_ event: NostrEvent?, amount: String, expiresAt: String, transit: Bool = false) -> HTTPRequest {
    var body: JSONObject = [
      "paymentId": "p-1", "destination": "g.example.bls", "amount": .string(amount), "expiresAt": .string(expiresAt),
    ]
    if let event { body["data"] = .string(data(event)) }
    if transit { body["isTransit"] = true }
    return post("/handle-packet", body)
  }

  static func post(_ path: String, _ body: JSONObject) -> HTTPRequest {
    HTTPRequest(
      method: "POST", path: path, headers: ["Content-Type": "application/json"],
      body: JSONValue.object(body).serializedBytes)
  }

  static func metrics(from address: String? = "127.0.0.1") -> HTTPRequest {
    HTTPRequest(method: "GET", path: "/metrics", remoteAddress: address)
  }

  /// RFC 3339 UTC, `seconds` from now.
  static func timestamp(secondsFromNow seconds: Double) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: Date().addingTimeInterval(seconds))
  }

  static func temporaryDirectory(_ label: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "bls-metrics-\(label)-\(UUID().uuidString)"
    )
    .path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}
