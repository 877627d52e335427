import Nostr
import Testing

/// NIP-40 `expiration` tags as BLS reads them: the first one, strictly.
@Suite("NIP-40 expiration tags")
struct ExpirationTests {
  func event(_ tags: [[String]]) -> NostrEvent {
    NostrEvent(
      id: String(repeating: "0", count: 64), pubkey: String(repeating: "1", count: 64), createdAt: 1, kind: 1,
      tags: tags, content: "", sig: String(repeating: "2", count: 128))
  }

  @Test(
    "values",
    arguments: [
      ([["expiration", "1700000000"]], Expiration.at(1_700_000_000)),
      ([["expiration", "0"]], .at(0)),
      ([["expiration", "0001"]], .at(1)),
      ([["expiration", "9223372036854775807"]], .at(Int64.max)),
      ([["expiration", "9223372036854775808"]], .malformed),
      ([["expiration", "-1"]], .malformed),
      ([["expiration", "+1"]], .malformed),
      ([["expiration", " 1"]], .malformed),
      ([["expiration", "1.5"]], .malformed),
      ([["expiration", "1e9"]], .malformed),
      ([["expiration", ""]], .malformed),
      ([["expiration"]], .malformed),
      ([["expiration", "１"]], .malformed),
      ([["e", "x"], ["expiration", "5", "extra"]], .at(5)),
      ([["expiration", "5"], ["expiration", "x"]], .at(5)),
      ([["expiration", "x"], ["expiration", "5"]], .malformed),
      ([["Expiration", "5"]], Expiration.none),
      ([["expiration\u{0}", "5"]], Expiration.none),
      ([], Expiration.none),
    ])
  func values(_ tags: [[String]], _ expected: Expiration) {
    #expect(event(tags).expiration == expected)
  }
}
