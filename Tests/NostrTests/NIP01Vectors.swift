import JSON
import Nostr
import Testing

/// One entry of `vectors/nip01-events.json` (events signed by rust-nostr / coincurve).
struct NIP01Vector: Sendable, CustomTestStringConvertible {
  let name: String
  let category: String
  let event: JSONValue
  /// Valid entries: the expected NIP-01 serialization, id and secret key.
  let canonical: String?
  let expectedID: String?
  let secretKey: String?
  let fulfillment: String?
  /// Invalid entries: what the reference answered (`Invalid TOON data: …` or
  /// `Invalid event signature`), when it rejected.
  let originalMessage: String?

  var testDescription: String { "\(name) [\(category)]" }

  static let file = FixtureVectors.json("nip01-events.json")
  static let valid: [NIP01Vector] = load("valid")
  static let invalid: [NIP01Vector] = load("invalid")

  private static func load(_ section: String) -> [NIP01Vector] {
    (file[section]?.arrayValue ?? []).map { entry in
      NIP01Vector(
        name: entry["name"]?.stringValue ?? "?",
        category: entry["category"]?.stringValue ?? "?",
        event: entry["event"] ?? .null,
        canonical: entry["canonical"]?.stringValue,
        expectedID: entry["expected_id"]?.stringValue,
        secretKey: entry["secret_key"]?.stringValue,
        fulfillment: entry["fulfillment"]?.stringValue,
        originalMessage: entry["original_message"]?.stringValue)
    }
  }

  /// The event's fields taken as they are, bypassing ``NostrEvent/init(json:)``'s checks.
  var rawEvent: NostrEvent {
    NostrEvent(
      id: event["id"]?.stringValue ?? "", pubkey: event["pubkey"]?.stringValue ?? "",
      createdAt: event["created_at"]?.numberValue?.int64Value ?? 0,
      kind: Int(event["kind"]?.numberValue?.int64Value ?? 0),
      tags: (event["tags"]?.arrayValue ?? []).map { ($0.arrayValue ?? []).compactMap(\.stringValue) },
      content: event["content"]?.stringValue ?? "", sig: event["sig"]?.stringValue ?? "")
  }
}
