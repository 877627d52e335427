import Nostr
import Testing

@Suite("NIP-01 filters")
struct FilterTests {
  static let alice = try! SecretKey(hex: "5bd3adc36b49b46602af912b29273821129b866b9f29c028022656267957d5b4")
  static let bob = try! SecretKey(hex: "bd3a34db5191c6d5ab0513597c6534ef96a9c69513e505eb96aaf66d389fe3b5")
  static let note = NostrEvent.signed(
    secretKey: alice, createdAt: 100, kind: 1, tags: [["e", "abc"], ["p", "def", "wss://r"], ["t"]], content: "n")

  @Test func emptyFilterMatchesEverything() {
    #expect(NostrFilter().matches(Self.note))
  }

  @Test func eachConditionMustHold() {
    let n = Self.note
    #expect(NostrFilter(ids: [n.id]).matches(n))
    #expect(!NostrFilter(ids: [String(n.id.prefix(10))]).matches(n))  // exact ids, no prefixes
    #expect(!NostrFilter(ids: []).matches(n))
    #expect(NostrFilter(authors: [Self.bob.publicKey.hex, n.pubkey]).matches(n))
    #expect(!NostrFilter(authors: [Self.bob.publicKey.hex]).matches(n))
    #expect(NostrFilter(kinds: [0, 1]).matches(n))
    #expect(!NostrFilter(kinds: [7]).matches(n))
    #expect(NostrFilter(since: 100, until: 100).matches(n))
    #expect(!NostrFilter(since: 101).matches(n))
    #expect(!NostrFilter(until: 99).matches(n))
    #expect(!NostrFilter(kinds: [1], since: 101).matches(n))
  }

  @Test func tagConditionsMatchTheFirstValue() {
    let n = Self.note
    #expect(NostrFilter(tags: ["e": ["abc"]]).matches(n))
    #expect(NostrFilter(tags: ["#e": ["zzz", "abc"]]).matches(n))
    #expect(NostrFilter(tags: ["p": ["def"]]).matches(n))
    #expect(!NostrFilter(tags: ["p": ["wss://r"]]).matches(n))  // only the first value counts
    #expect(!NostrFilter(tags: ["t": [""]]).matches(n))  // a tag without a value matches nothing
    #expect(!NostrFilter(tags: ["e": ["abc"], "p": ["nope"]]).matches(n))
    #expect(!NostrFilter(tags: ["E": ["abc"]]).matches(n))  // names are case-sensitive
  }

  @Test func valuesCompareByteForByteNotByUnicodeEquivalence() {
    let nfc = NostrEvent.signed(secretKey: Self.alice, createdAt: 1, kind: 1, tags: [["t", "caf\u{e9}"]], content: "")
    #expect(NostrFilter(tags: ["t": ["caf\u{e9}"]]).matches(nfc))
    #expect(!NostrFilter(tags: ["t": ["cafe\u{301}"]]).matches(nfc))
  }

  @Test func selectUnionsFiltersAndAppliesEachLimit() {
    let events = (0..<6).map { i in
      NostrEvent.signed(secretKey: i < 3 ? Self.alice : Self.bob, createdAt: Int64(100 + i), kind: 1, content: "\(i)")
    }
    let byAlice = NostrFilter(authors: [Self.alice.publicKey.hex], limit: 2)
    let byBob = NostrFilter(authors: [Self.bob.publicKey.hex], limit: 1)
    let selected = [byAlice, byBob].select(from: events)
    #expect(selected.map(\.content) == ["5", "2", "1"])
    #expect([NostrFilter(), NostrFilter()].select(from: events).count == 6)  // no duplicates
    #expect([NostrFilter(limit: 0)].select(from: events).isEmpty)
    #expect([NostrFilter]().select(from: events).isEmpty)
  }
}
