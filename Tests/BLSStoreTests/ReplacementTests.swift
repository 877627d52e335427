import BLSTestSupport
import Nostr
import Testing

@testable import BLSStore

@Suite("NIP-01 replacement rules (docs/contract.md, Storage)")
struct ReplacementTests {
  /// Every event of `pubkey` and `kind` currently stored.
  func stored(_ store: SQLiteEventStore, kind: Int, pubkey: String = Events.alice) throws -> [NostrEvent] {
    try store.query([NostrFilter(authors: [pubkey], kinds: [kind])])
  }

  @Test("replaceable kinds keep only the newest per (pubkey, kind)", arguments: [0, 3, 10000, 10002, 19999])
  func replaceable(kind: Int) throws {
    let store = try SQLiteEventStore(databasePath: nil)
    defer { store.close() }
    let old = Events.make(createdAt: 100, kind: kind)
    let new = Events.make(createdAt: 200, kind: kind)
    #expect(try store.store(old) == .stored)
    #expect(try store.store(new) == .stored)
    #expect(try stored(store, kind: kind).map(\.id) == [new.id])
    #expect(try store.event(id: old.id) == nil)
    // Another author's event of the same kind is a different slot.
    let bobs = Events.make(pubkey: Events.bob, createdAt: 50, kind: kind)
    #expect(try store.store(bobs) == .stored)
    #expect(try stored(store, kind: kind).map(\.id) == [new.id])
  }

  @Test("an older replaceable event is accepted but not stored")
  func older() throws {
    let store = try SQLiteEventStore(databasePath: nil)
    defer { store.close() }
    let new = Events.make(createdAt: 200, kind: 0)
    let old = Events.make(createdAt: 100, kind: 0)
    #expect(try store.store(new) == .stored)
    #expect(try store.store(old) == .superseded)
    #expect(try store.store(old) == .superseded)
    #expect(try store.event(id: old.id) == nil)
    #expect(try stored(store, kind: 0).map(\.id) == [new.id])
  }

  @Test("equal created_at: the lowest id is kept, whichever arrives first")
  func tie() throws {
    for lowFirst in [true, false] {
      let store = try SQLiteEventStore(databasePath: nil)
      defer { store.close() }
      let low = Events.make(id: Events.id(prefix: "0000"), createdAt: 300, kind: 10002)
      let high = Events.make(id: Events.id(prefix: "ffff"), createdAt: 300, kind: 10002)
      if lowFirst {
        #expect(try store.store(low) == .stored)
        #expect(try store.store(high) == .superseded)
      } else {
        #expect(try store.store(high) == .stored)
        #expect(try store.store(low) == .stored)
      }
      #expect(try stored(store, kind: 10002).map(\.id) == [low.id])
    }
  }

  @Test(
    "regular and ephemeral kinds are all kept", arguments: [1, 4, 7, 1984, 9999, 20000, 23194, 29999, 40000, 65535])
  func regular(kind: Int) throws {
    let store = try SQLiteEventStore(databasePath: nil)
    defer { store.close() }
    let events = (0..<3).map { Events.make(createdAt: Int64(100 + $0), kind: kind) }
    for event in events { #expect(try store.store(event) == .stored) }
    #expect(try stored(store, kind: kind).count == 3)
  }

  @Test(
    "addressable: one event per (pubkey, kind, d), d matched exactly",
    arguments: ["plain", "", "100%", "a_b", "a%", "_", #"quote"d"#, #"back\slash"#, "日本-記事 ✨", "[\"d\""])
  func addressable(d: String) throws {
    let store = try SQLiteEventStore(databasePath: nil)
    defer { store.close() }
    // Decoys whose d values a LIKE pattern for `d` would also match.
    let decoys = ["plainx", "100%x", "aXb", "a%b", "x", #"quote"dd"#, "other", "日本-記事 ✨!", "[\"d\"x"]
      .filter { $0 != d }
      .map { Events.make(createdAt: 500, kind: 30023, tags: [["d", $0]]) }
    for decoy in decoys { #expect(try store.store(decoy) == .stored) }

    let first = Events.make(createdAt: 100, kind: 30023, tags: [["d", d], ["title", "v1"]])
    let second = Events.make(createdAt: 200, kind: 30023, tags: [["title", "v2"], ["d", d]])
    let older = Events.make(createdAt: 150, kind: 30023, tags: [["d", d]])
    #expect(try store.store(first) == .stored)
    #expect(try store.store(second) == .stored)
    #expect(try store.store(older) == .superseded)
    let all = try stored(store, kind: 30023)
    #expect(all.filter { $0.dTagValue == d }.map(\.id) == [second.id])
    #expect(Set(all.map(\.id)) == Set(decoys.map(\.id) + [second.id]), "a decoy was replaced")
    // Same d under another kind or author is another address.
    #expect(try store.store(Events.make(createdAt: 50, kind: 30024, tags: [["d", d]])) == .stored)
    #expect(try store.store(Events.make(pubkey: Events.bob, createdAt: 50, kind: 30023, tags: [["d", d]])) == .stored)
  }

  @Test("addressable: no d tag, an empty d and a valueless d are the same address; only the first d counts")
  func addressableEmptyAndFirst() throws {
    let store = try SQLiteEventStore(databasePath: nil)
    defer { store.close() }
    let none = Events.make(createdAt: 100, kind: 30000, tags: [["title", "x"]])
    let empty = Events.make(createdAt: 200, kind: 30000, tags: [["d", ""]])
    let bare = Events.make(createdAt: 300, kind: 30000, tags: [["d"], ["d", "later"]])
    #expect(try store.store(none) == .stored)
    #expect(try store.store(empty) == .stored)
    #expect(try store.store(bare) == .stored)
    #expect(try stored(store, kind: 30000).map(\.id) == [bare.id])

    let firstA = Events.make(createdAt: 100, kind: 30001, tags: [["d", "a"], ["d", "b"]])
    let onlyB = Events.make(createdAt: 200, kind: 30001, tags: [["d", "b"]])
    #expect(try store.store(firstA) == .stored)
    #expect(try store.store(onlyB) == .stored, "d=b must not replace an event whose first d is a")
    #expect(Set(try stored(store, kind: 30001).map(\.id)) == [firstA.id, onlyB.id])
  }

  @Test("a replacement also replaces the tag index: the old event's tags no longer match")
  func replacementUpdatesTagIndex() throws {
    let store = try SQLiteEventStore(databasePath: nil)
    defer { store.close() }
    let old = Events.make(createdAt: 1, kind: 3, tags: [["p", "old-friend"]])
    let new = Events.make(createdAt: 2, kind: 3, tags: [["p", "new-friend"]])
    _ = try store.store(old)
    _ = try store.store(new)
    #expect(try store.query([NostrFilter(tags: ["p": ["old-friend"]])]).isEmpty)
    #expect(try store.query([NostrFilter(tags: ["p": ["new-friend"]])]).map(\.id) == [new.id])
  }

  @Test("the SQLite store agrees with the Nostr module's in-memory reference store")
  func agreesWithInMemoryStore() throws {
    let sqlite = try SQLiteEventStore(databasePath: nil)
    defer { sqlite.close() }
    let memory = InMemoryEventStore()
    var generator = SystemRandomNumberGenerator()
    var pool: [NostrEvent] = []
    for step in 0..<600 {
      let event: NostrEvent
      if !pool.isEmpty && step % 7 == 0 {
        event = pool.randomElement(using: &generator)!  // resend: duplicate
      } else {
        let kind = [0, 1, 3, 10002, 30023, 30023][Int.random(in: 0..<6, using: &generator)]
        let pubkey = [Events.alice, Events.bob][Int.random(in: 0..<2, using: &generator)]
        var tags: [[String]] = []
        if kind == 30023 && Bool.random(using: &generator) {
          tags.append(["d", ["x", "y", "", "%"][Int.random(in: 0..<4, using: &generator)]])
        }
        event = Events.make(
          id: Events.id(prefix: ["0", "8", "f", ""][step % 4]), pubkey: pubkey,
          createdAt: Int64.random(in: 0..<20, using: &generator), kind: kind, tags: tags)
      }
      pool.append(event)
      #expect(try sqlite.store(event) == (try memory.store(event)), "step \(step)")
    }
    let everything = [NostrFilter()]
    #expect(try sqlite.query(everything) == (try memory.query(everything)))
  }
}
