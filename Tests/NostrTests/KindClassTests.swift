import Nostr
import Testing

@Suite("NIP-01 kind classes and replacement rules")
struct KindClassTests {
  @Test(arguments: [
    (0, KindClass.replaceable), (1, .regular), (2, .regular), (3, .replaceable), (4, .regular),
    (9999, .regular), (10000, .replaceable), (10002, .replaceable), (19999, .replaceable),
    (20000, .ephemeral), (23194, .ephemeral), (29999, .ephemeral), (30000, .addressable),
    (30023, .addressable), (39999, .addressable), (40000, .regular), (65535, .regular),
  ])
  func kindClass(kind: Int, expected: KindClass) {
    #expect(KindClass(kind: kind) == expected)
  }

  static func event(kind: Int = 1, createdAt: Int64 = 0, id: String = "", tags: [[String]] = []) -> NostrEvent {
    NostrEvent(id: id, pubkey: "pk", createdAt: createdAt, kind: kind, tags: tags, content: "", sig: "")
  }

  @Test func dTagValueIsTheFirstDTagsValue() {
    #expect(Self.event(tags: []).dTagValue == "")
    #expect(Self.event(tags: [["t", "x"], ["d"]]).dTagValue == "")
    #expect(Self.event(tags: [["D", "upper"], ["d", "a", "extra"], ["d", "b"]]).dTagValue == "a")
    #expect(Self.event(tags: [["dd", "x"], ["d", "100%_'\""]]).dTagValue == "100%_'\"")
  }

  @Test func replacementKeys() {
    #expect(Self.event(kind: 1).replacementKey == nil)
    #expect(Self.event(kind: 20001).replacementKey == nil)
    #expect(
      Self.event(kind: 0, tags: [["d", "ignored"]]).replacementKey == ReplacementKey(pubkey: "pk", kind: 0, dTag: nil))
    #expect(Self.event(kind: 30023).replacementKey == ReplacementKey(pubkey: "pk", kind: 30023, dTag: ""))
    #expect(
      Self.event(kind: 30023, tags: [["d", "x"]]).replacementKey == ReplacementKey(pubkey: "pk", kind: 30023, dTag: "x")
    )
  }

  @Test func newerWinsThenLowestID() {
    let older = Self.event(createdAt: 10, id: "00")
    let newer = Self.event(createdAt: 11, id: "ff")
    #expect(newer.supersedes(older))
    #expect(!older.supersedes(newer))
    let tieLow = Self.event(createdAt: 10, id: "0a")
    let tieHigh = Self.event(createdAt: 10, id: "0b")
    #expect(tieLow.supersedes(tieHigh))
    #expect(!tieHigh.supersedes(tieLow))
    #expect(!tieLow.supersedes(tieLow))
  }

  @Test func queryOrderIsNewestFirstThenIDAscending() {
    let events = [
      Self.event(createdAt: 1, id: "01"), Self.event(createdAt: 3, id: "0b"),
      Self.event(createdAt: 3, id: "0a"), Self.event(createdAt: 2, id: "00"),
    ]
    #expect(events.sorted(by: NostrEvent.queryOrder).map(\.id) == ["0a", "0b", "00", "01"])
  }
}
