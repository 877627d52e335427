import BLSTestSupport
import Nostr
import Testing

@Suite("InMemoryEventStore: NIP-01 storage semantics")
struct InMemoryEventStoreTests {
  static let alice = try! SecretKey(hex: "5bd3adc36b49b46602af912b29273821129b866b9f29c028022656267957d5b4")
  static let bob = try! SecretKey(hex: "bd3a34db5191c6d5ab0513597c6534ef96a9c69513e505eb96aaf66d389fe3b5")

  static func signed(
    _ key: SecretKey = alice, kind: Int, at createdAt: Int64, tags: [[String]] = [], content: String = ""
  ) -> NostrEvent {
    NostrEvent.signed(secretKey: key, createdAt: createdAt, kind: kind, tags: tags, content: content)
  }

  /// Two events with the same created_at whose ids compare as needed: (lower id, higher id).
  static func tiedPair(kind: Int, tags: [[String]] = []) -> (NostrEvent, NostrEvent) {
    let a = signed(kind: kind, at: 500, tags: tags, content: "a")
    let b = signed(kind: kind, at: 500, tags: tags, content: "b")
    return a.id < b.id ? (a, b) : (b, a)
  }

  static func all(_ store: InMemoryEventStore) throws -> [NostrEvent] {
    try store.query([NostrFilter()])
  }

  @Test func regularEventsAreAllStoredAndDuplicatesReported() throws {
    let store = InMemoryEventStore()
    let a = Self.signed(kind: 1, at: 1, content: "a")
    let b = Self.signed(kind: 1, at: 1, content: "b")
    #expect(try store.store(a) == .stored)
    #expect(try store.store(b) == .stored)
    #expect(try store.store(a) == .duplicate)
    #expect(store.count == 2)
    #expect(try store.event(id: a.id) == a)
    #expect(try store.event(id: String(repeating: "0", count: 64)) == nil)
    #expect(store.storageDescription == "memory")
  }

  @Test func ephemeralEventsAreStoredLikeRegularOnes() throws {
    let store = InMemoryEventStore()
    #expect(try store.store(Self.signed(kind: 23194, at: 1, content: "x")) == .stored)
    #expect(try store.store(Self.signed(kind: 23194, at: 2, content: "y")) == .stored)
    #expect(store.count == 2)
  }

  @Test(arguments: [0, 3, 10000, 10002, 19999])
  func replaceableKeepsTheNewestPerPubkeyAndKind(kind: Int) throws {
    let store = InMemoryEventStore()
    let first = Self.signed(kind: kind, at: 100)
    let newer = Self.signed(kind: kind, at: 200)
    let older = Self.signed(kind: kind, at: 150)
    #expect(try store.store(first) == .stored)
    #expect(try store.store(newer) == .stored)
    #expect(try store.event(id: first.id) == nil)
    #expect(try store.store(older) == .superseded)
    #expect(try store.store(newer) == .duplicate)
    #expect(try store.store(first) == .superseded)  // a replaced event does not come back
    // Other author, other kind: separate slots.
    #expect(try store.store(Self.signed(Self.bob, kind: kind, at: 1)) == .stored)
    #expect(try store.store(Self.signed(kind: kind == 0 ? 3 : 0, at: 1)) == .stored)
    #expect(try Self.all(store).filter { $0.pubkey == Self.alice.publicKey.hex && $0.kind == kind } == [newer])
    #expect(store.count == 3)
  }

  @Test(arguments: [0, 30023])
  func equalCreatedAtKeepsTheLowestID(kind: Int) throws {
    let (low, high) = Self.tiedPair(kind: kind, tags: [["d", "x"]])
    let store = InMemoryEventStore()
    #expect(try store.store(high) == .stored)
    #expect(try store.store(low) == .stored)
    #expect(try Self.all(store) == [low])

    let reversed = InMemoryEventStore()
    #expect(try reversed.store(low) == .stored)
    #expect(try reversed.store(high) == .superseded)
    #expect(try Self.all(reversed) == [low])
  }

  @Test func addressableKeysIncludeTheExactDTag() throws {
    let store = InMemoryEventStore()
    let values = ["", "a", "A", "100%", "1000", "a_c", "abc", "'q'", "\"q\"", "back\\slash", "é", "e\u{301}"]
    for value in values {
      #expect(try store.store(Self.signed(kind: 30023, at: 10, tags: [["d", value]], content: value)) == .stored)
    }
    #expect(store.count == values.count)
    // `%` and `_` are not wildcards: a newer "a_c" replaces only "a_c", not "abc".
    let newer = Self.signed(kind: 30023, at: 20, tags: [["d", "a_c"]], content: "new")
    #expect(try store.store(newer) == .stored)
    #expect(store.count == values.count)
    let stored = try Self.all(store)
    #expect(stored.contains(newer))
    #expect(stored.contains { $0.content == "abc" })
    #expect(!stored.contains { $0.content == "a_c" })
    // An older "100%" is superseded; "1000" is untouched.
    #expect(try store.store(Self.signed(kind: 30023, at: 5, tags: [["d", "100%"]])) == .superseded)
  }

  @Test func addressableWithoutDTagSharesTheEmptySlot() throws {
    let store = InMemoryEventStore()
    let none = Self.signed(kind: 30023, at: 10)
    let empty = Self.signed(kind: 30023, at: 11, tags: [["d"]])
    let emptyValue = Self.signed(kind: 30023, at: 12, tags: [["d", ""]])
    #expect(try store.store(none) == .stored)
    #expect(try store.store(empty) == .stored)
    #expect(try store.store(emptyValue) == .stored)
    #expect(try Self.all(store) == [emptyValue])
    // Only the first d tag counts.
    let second = Self.signed(kind: 30023, at: 13, tags: [["d", "x"], ["d", ""]])
    #expect(try store.store(second) == .stored)
    #expect(store.count == 2)
    // Other kinds in the addressable range are separate slots.
    #expect(try store.store(Self.signed(kind: 30024, at: 1)) == .stored)
    #expect(store.count == 3)
  }

  @Test func queriesAreNewestFirstWithLimits() throws {
    let store = InMemoryEventStore()
    var events: [NostrEvent] = []
    for i in 0..<10 {
      let e = Self.signed(
        i.isMultiple(of: 2) ? Self.alice : Self.bob, kind: i < 5 ? 1 : 7, at: Int64(i / 2), content: "\(i)")
      events.append(e)
      _ = try store.store(e)
    }
    let all = try store.query([NostrFilter()])
    #expect(all == events.sorted(by: NostrEvent.queryOrder))
    #expect(all.first?.createdAt == 4)
    #expect(
      try store.query([NostrFilter(kinds: [7], limit: 2)]).map(\.content)
        == events.filter { $0.kind == 7 }.sorted(by: NostrEvent.queryOrder).prefix(2).map(\.content))
    #expect(try store.query([NostrFilter(authors: [Self.bob.publicKey.hex], since: 2, until: 3)]).count == 2)
    #expect(try store.query([]).isEmpty)
  }

  @Test func concurrentStoresOfOneSlotKeepExactlyTheWinner() async throws {
    let store = InMemoryEventStore()
    let events = (0..<40).map { Self.signed(kind: 10002, at: Int64($0 % 7), content: "\($0)") }
    let winner = events.reduce(events[0]) { $1.supersedes($0) ? $1 : $0 }
    await withTaskGroup(of: Void.self) { group in
      for e in events { group.addTask { _ = try? store.store(e) } }
    }
    #expect(try Self.all(store) == [winner])
  }
}
