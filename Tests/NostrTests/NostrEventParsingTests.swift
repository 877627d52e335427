import JSON
import Nostr
import Testing

@Suite("NostrEvent(json:) field checks")
struct NostrEventParsingTests {
  static let secret = try! SecretKey(hex: "5bd3adc36b49b46602af912b29273821129b866b9f29c028022656267957d5b4")
  static let event = NostrEvent.signed(
    secretKey: secret, createdAt: 1_700_000_000, kind: 1, tags: [["t", "x"]], content: "hi")

  /// A valid event's JSON object with members replaced (`nil` removes the member).
  static func json(_ changes: [String: JSONValue?]) -> JSONValue {
    guard case .object(var object) = event.jsonValue else { fatalError() }
    for (key, value) in changes { object[key] = value }
    return .object(object)
  }

  static func message(_ json: JSONValue) -> String? {
    do {
      _ = try NostrEvent(json: json)
      return nil
    } catch {
      return error.message
    }
  }

  static func number(_ literal: String) -> JSONValue { .number(JSONNumber(validatedLiteral: literal)) }

  @Test func validEventRoundTrips() throws {
    let parsed = try NostrEvent(json: Self.event.jsonValue)
    #expect(parsed == Self.event)
    try parsed.verify()
    #expect(
      Self.event.jsonValue.objectValue?.orderedKeys == ["id", "pubkey", "created_at", "kind", "tags", "content", "sig"])
  }

  /// The reference checks id, pubkey, kind, content, tags, created_at, sig in that order: with
  /// every field broken, removing the first error reveals the next.
  @Test func fieldsAreCheckedInTheReferenceOrder() {
    var changes: [String: JSONValue?] = [
      "id": "x", "pubkey": "x", "kind": "x", "content": 1, "tags": "x", "created_at": "x", "sig": "x",
    ]
    let expected: [(String, String)] = [
      ("id", "Invalid event id: must be a 64-character hex string"),
      ("pubkey", "Invalid event pubkey: must be a 64-character hex string"),
      ("kind", "Invalid event kind: must be an integer"),
      ("content", "Invalid event content: must be a string"),
      ("tags", "Invalid event tags: must be an array"),
      ("created_at", "Invalid event created_at: must be an integer"),
      ("sig", "Invalid event sig: must be a 128-character hex string"),
    ]
    for (field, message) in expected {
      #expect(Self.message(Self.json(changes)) == message)
      changes.removeValue(forKey: field)  // the field is valid again
    }
    #expect(Self.message(Self.json(changes)) == nil)
  }

  @Test func tagElementsAreCheckedBeforeCreatedAt() {
    let json = Self.json(["tags": [["t", "ok"], ["p", 5]], "created_at": "later"])
    #expect(Self.message(json) == "Invalid event tags[1][1]: must be a string")
    #expect(Self.message(Self.json(["tags": [["t"], "flat"]])) == "Invalid event tags[1]: must be an array")
    #expect(Self.message(Self.json(["tags": [[]]])) == nil)
  }

  @Test(arguments: [JSONValue.null, true, 1, "event", [1, 2], []])
  func nonObjects(_ json: JSONValue) throws {
    let error = #expect(throws: NostrEventError.self) { try NostrEvent(json: json) }
    #expect(error?.code == .notAnObject)
    #expect(error?.message == "Decoded value is not an object")
  }

  @Test func uppercaseHexIsRejectedWithItsOwnMessage() {
    for field in ["id", "pubkey", "sig"] {
      let value = Self.event.jsonValue[field]!.stringValue!.uppercased()
      #expect(
        Self.message(Self.json([field: .string(value)]))
          == "Invalid event \(field): must be lowercase hex (NIP-01), found A-F")
    }
  }

  @Test(
    arguments: [
      ("1", nil),
      ("0", nil),
      ("65535", nil),
      ("-0", nil),
      ("65536", "Invalid event kind: must be an integer between 0 and 65535"),
      ("-1", "Invalid event kind: must be an integer between 0 and 65535"),
      ("99999999999999999999", "Invalid event kind: must be an integer between 0 and 65535"),
      ("1.5", "Invalid event kind: must be an integer"),
      ("1e400", "Invalid event kind: must be an integer"),
      ("1.0", "Invalid event kind: must be an integer written without a fraction or exponent"),
      ("1e0", "Invalid event kind: must be an integer written without a fraction or exponent"),
      ("10E-1", "Invalid event kind: must be an integer written without a fraction or exponent"),
    ] as [(String, String?)])
  func kindNumericForms(literal: String, message: String?) {
    #expect(Self.message(Self.json(["kind": Self.number(literal)])) == message)
  }

  @Test(
    arguments: [
      ("0", nil),
      ("9007199254740993", nil),
      ("9223372036854775807", nil),
      ("9223372036854775808", "Invalid event created_at: must be an integer between 0 and 9223372036854775807"),
      ("-1", "Invalid event created_at: must be an integer between 0 and 9223372036854775807"),
      ("1700000000.5", "Invalid event created_at: must be an integer"),
      ("1.7e9", "Invalid event created_at: must be an integer written without a fraction or exponent"),
    ] as [(String, String?)])
  func createdAtNumericForms(literal: String, message: String?) {
    #expect(Self.message(Self.json(["created_at": Self.number(literal)])) == message)
  }

  @Test func parsedIntegersKeepTheirExactValue() throws {
    let event = try NostrEvent(
      json: Self.json(["created_at": Self.number("9007199254740993"), "kind": Self.number("-0")]))
    #expect(event.createdAt == 9_007_199_254_740_993)
    #expect(event.kind == 0)
    #expect(String(decoding: event.serializationForID, as: UTF8.self).contains(",9007199254740993,0,"))
  }

  @Test func extraMembersAreIgnored() throws {
    let parsed = try NostrEvent(json: Self.json(["relay": "wss://x", "seen": [1, 2]]))
    #expect(parsed == Self.event)
    try parsed.verify()
  }
}
