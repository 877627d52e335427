import Foundation
import JSON
import Nostr
import Testing

@Suite("NIP-01 event vectors (independently signed)")
struct NIP01VectorTests {
  @Test func vectorFileIsLoaded() {
    #expect(NIP01Vector.valid.count >= 80)
    #expect(NIP01Vector.invalid.count >= 40)
  }

  @Test(
    "contract events parse, serialize canonically and verify",
    arguments: NIP01Vector.valid.filter { $0.category == "contract" })
  func validEvent(_ v: NIP01Vector) throws {
    let event = try NostrEvent(json: v.event)
    #expect(String(decoding: event.serializationForID, as: UTF8.self) == v.canonical)
    #expect(event.computedID == v.expectedID)
    #expect(event.id == v.expectedID)
    try event.verify()
    // Round trip through the JSON form keeps every field.
    #expect(try NostrEvent(json: event.jsonValue) == event)
    // The contract's fulfillment: base64(sha256(utf8(id hex))).
    #expect(Data(SHA256.hash(Array(event.id.utf8))).base64EncodedString() == v.fulfillment)
  }

  @Test(
    "a vector's secret key derives its pubkey",
    arguments: NIP01Vector.valid.filter { $0.secretKey != nil })
  func keyDerivation(_ v: NIP01Vector) throws {
    let key = try SecretKey(hex: v.secretKey!)
    #expect(key.publicKey.hex == v.event["pubkey"]?.stringValue)
  }

  /// Contested events outside NIP-01's ranges are signed correctly (verify succeeds on the raw
  /// fields) but ``NostrEvent/init(json:)`` rejects them (docs/contract.md "beyond": kind 0…65535,
  /// created_at ≥ 0). 2^53+1 fits in Int64, so we verify what JavaScript could not.
  @Test(
    "contested events: our documented choice",
    arguments: NIP01Vector.valid.filter { $0.category == "contested" })
  func contestedEvent(_ v: NIP01Vector) throws {
    try v.rawEvent.verify()
    #expect(v.rawEvent.computedID == v.expectedID)
    switch v.name {
    case "kind_70000", "kind_negative":
      #expect(throws: NostrEventError.self) { try NostrEvent(json: v.event) }
      let error = try #require(Self.parseError(v.event))
      #expect(error.code == .invalidKind)
      #expect(error.message == "Invalid event kind: must be an integer between 0 and 65535")
    case "created_at_negative":
      let error = try #require(Self.parseError(v.event))
      #expect(error.code == .invalidCreatedAt)
      #expect(error.message == "Invalid event created_at: must be an integer between 0 and 9223372036854775807")
    default:
      let event = try NostrEvent(json: v.event)
      #expect(String(decoding: event.serializationForID, as: UTF8.self) == v.canonical)
      try event.verify()
    }
  }

  @Test("invalid events fail for their stated reason", arguments: NIP01Vector.invalid)
  func invalidEvent(_ v: NIP01Vector) throws {
    let toonPrefix = "Invalid TOON data: "
    let uppercase = ["id", "pubkey", "sig"].first { field in
      v.event[field]?.stringValue.map { $0 != $0.lowercased() } ?? false
    }
    if let message = v.originalMessage, message.hasPrefix(toonPrefix) {
      // The reference's exact wording, for the first field in its order that is wrong.
      let error = try #require(Self.parseError(v.event))
      #expect(error.message == String(message.dropFirst(toonPrefix.count)))
      #expect(!error.isVerificationFailure)
    } else if let field = uppercase {
      // Beyond the reference: NIP-01 hex is lowercase; rejected while reading the fields.
      let error = try #require(Self.parseError(v.event))
      #expect(error.message == "Invalid event \(field): must be lowercase hex (NIP-01), found A-F")
    } else if v.originalMessage == "Invalid event signature" {
      let event = try NostrEvent(json: v.event)
      let error = try #require(Self.verifyError(event))
      #expect(error.isVerificationFailure)
    } else {
      // Contested "accepted by the reference": only the extra top-level field remains, which
      // NIP-01 readers ignore.
      #expect(v.name == "extra_field")
      let event = try NostrEvent(json: v.event)
      try event.verify()
    }
  }

  @Test func verificationFailuresKeepDistinctCodes() throws {
    func code(_ name: String) throws -> NostrEventError.Code? {
      let v = try #require(NIP01Vector.invalid.first { $0.name == name })
      return Self.verifyError(try NostrEvent(json: v.event))?.code
    }
    #expect(try code("tampered_content") == .idMismatch)
    #expect(try code("tampered_pubkey") == .idMismatch)
    #expect(try code("tampered_sig_last_nibble") == .badSignature)
    #expect(try code("sig_by_other_key") == .badSignature)
    #expect(try code("sig_all_zero") == .badSignature)
    #expect(try code("sig_s_equals_n") == .badSignature)
    #expect(try code("pubkey_not_on_curve") == .invalidPublicKey)
  }

  static func parseError(_ json: JSONValue) -> NostrEventError? {
    do {
      _ = try NostrEvent(json: json)
      return nil
    } catch {
      return error
    }
  }

  static func verifyError(_ event: NostrEvent) -> NostrEventError? {
    do {
      try event.verify()
      return nil
    } catch {
      return error
    }
  }
}
