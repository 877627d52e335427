import BLSApp
import ExtrasBase64
import JSON
import Nostr
import TOON

/// The inputs of the benchmarks: signed events of typical and large size, in every form the
/// hot path sees them (TOON bytes, base64, the /handle-payment body).
struct Fixture {
  let name: String
  let event: NostrEvent
  let json: JSONValue
  let toon: [UInt8]
  let base64: String
  /// A valid, exactly paid /handle-payment body (price 10 per byte).
  let body: [UInt8]

  init(name: String, event: NostrEvent) {
    self.name = name
    self.event = event
    json = event.jsonValue
    toon = TOONEncoder().encodeBytes(json)
    base64 = Base64.encodeToString(bytes: toon)
    body = Self.body(toon: toon, amount: String(toon.count * 10))
  }

  static func body(toon: [UInt8], amount: String) -> [UInt8] {
    let value: JSONValue = [
      "amount": .string(amount), "destination": "g.bls.local",
      "data": .string(Base64.encodeToString(bytes: toon)),
    ]
    return value.serializedBytes
  }

  static let key = try! SecretKey(hex: "3a1b0d2c4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9")

  /// A kind-1 note of ~70 characters with two tags: ~450 bytes of TOON.
  static let typical = Fixture(
    name: "typical",
    event: .signed(
      secretKey: key, createdAt: 1_700_000_000, kind: 1,
      tags: [["t", "bench"], ["p", String(repeating: "ab", count: 32)]],
      content: "A typical short note paid over Interledger, signed for the BLS benchmark"))

  /// A ~30 KB long-form event: paragraphs with quotes, newlines and non-ASCII text (each
  /// needs escaping or quoting), and 40 tags.
  static let large: Fixture = {
    var content = ""
    var paragraph = 0
    while content.utf8.count < 30_000 {
      paragraph += 1
      content +=
        "Paragraph \(paragraph): \"Interledger\" moves value — naïve façade, 価格 per byte; tabs\tand commas, too.\n"
    }
    var tags: [[String]] = [["d", "long-form-bench"], ["title", "A 30 KB article"]]
    for index in 0..<38 { tags.append(["t", "topic-\(index)"]) }
    return Fixture(
      name: "30KB",
      event: .signed(secretKey: key, createdAt: 1_700_000_000, kind: 30023, tags: tags, content: content))
  }()

  /// Distinct events with well-formed fields but no valid signature (the store does not
  /// verify): ids are sha256 of a counter, so every one is new.
  static func unsignedEvents(_ count: Int, salt: String) -> [NostrEvent] {
    let base = typical.event
    return (0..<count).map { index in
      NostrEvent(
        id: SHA256.hexHash(Array("\(salt)-\(index)".utf8)), pubkey: base.pubkey,
        createdAt: base.createdAt + Int64(index % 1000), kind: 1, tags: base.tags,
        content: base.content, sig: base.sig)
    }
  }
}
