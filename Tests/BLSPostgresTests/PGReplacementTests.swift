import BLSTestSupport
import Nostr
import Testing

@testable import BLSPostgres

/// Tests/BLSStoreTests/ReplacementTests.swift, against a real PostgreSQL.
@Suite("PostgreSQL: NIP-01 replacement rules", .enabled(if: TestCluster.binariesPresent, TestCluster.skipReason))
struct PGReplacementTests {
  func stored(_ store: PostgresEventStore, kind: Int, pubkey: String = Events.alice) throws -> [NostrEvent] {
    try store.query([NostrFilter(authors: [pubkey], kinds: [kind])])
  }

  @Test("replaceable kinds keep only the newest per (pubkey, kind)", arguments: [0, 3, 10000, 19999])
  func replaceable(kind: Int) throws {
    let (store, _) = try freshStore()
    defer { store.close() }
    let old = Events.make(createdAt: 100, kind: kind)
    let new = Events.make(createdAt: 200, kind: kind)
    #expect(try store.store(old) == .stored)
    #expect(try store.store(new) == .stored)
    #expect(try stored(store, kind: kind).map(\.id) == [new.id])
    #expect(try store.event(id: old.id) == nil)
    let bobs = Events.make(pubkey: Events.bob, createdAt: 50, kind: kind)
    #expect(try store.store(bobs) == .stored)
    #expect(try stored(store, kind: kind).map(\.id) == [new.id])
  }

  @Test("an older replaceable event is accepted but not stored; a duplicate id is a duplicate")
  func older() throws {
    let (store, _) = try freshStore()
    defer { store.close() }
    let new = Events.make(createdAt: 200, kind: 0)
    let old = Events.make(createdAt: 100, kind: 0)
    #expect(try store.store(new) == .stored)
    #expect(try store.store(new) == .duplicate)
    #expect(try store.store(old) == .superseded)
    #expect(try store.store(old) == .superseded)
    #expect(try store.event(id: old.id) == nil)
    #expect(try stored(store, kind: 0).map(\.id) == [new.id])
    let regular = Events.make(kind: 1)
    #expect(try store.store(regular) == .stored)
    #expect(try store.store(regular) == .duplicate)
  }

  @Test("equal created_at: the lowest id is kept, whichever arrives first")
  func tie() throws {
    for lowFirst in [true, false] {
      let (store, _) = try freshStore()
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
    "addressable: one event per (pubkey, kind, d), d matched exactly",
    arguments: ["plain", "", "100%", "a_b", #"quote"d"#, #"back\slash"#, "日本-記事 ✨", "[\"d\"", "{a,b}", "NULL"])
  func addressable(d: String) throws {
    let (store, _) = try freshStore()
    defer { store.close() }
    let decoys = ["plainx", "100%x", "aXb", "a%b", "x", #"quote"dd"#, "other", "日本-記事 ✨!", "[\"d\"x", "null"]
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
    #expect(try store.store(Events.make(createdAt: 50, kind: 30024, tags: [["d", d]])) == .stored)
    #expect(try store.store(Events.make(pubkey: Events.bob, createdAt: 50, kind: 30023, tags: [["d", d]])) == .stored)
  }

  @Test("addressable: no d tag, an empty d and a valueless d are the same address; only the first d counts")
  func addressableEmptyAndFirst() throws {
    let (store, _) = try freshStore()
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

  @Test("a d value longer than a B-tree entry is an address like any other")
  func longD() throws {
    let (store, _) = try freshStore()
    defer { store.close() }
    let d = (0..<300).map { _ in Events.hex(8) }.joined()  // 4800 random characters
    let old = Events.make(createdAt: 1, kind: 30023, tags: [["d", d], ["r", d]])
    let new = Events.make(createdAt: 2, kind: 30023, tags: [["d", d], ["r", d]])
    #expect(try store.store(old) == .stored)
    #expect(try store.store(new) == .stored)
    #expect(try store.query([NostrFilter(tags: ["#r": [d]])]).map(\.id) == [new.id])
  }

  @Test("a replacement also replaces the tag index: the old event's tags no longer match")
  func replacementUpdatesTagIndex() throws {
    let (store, _) = try freshStore()
    defer { store.close() }
    let old = Events.make(createdAt: 1, kind: 3, tags: [["p", "old-friend"]])
    let new = Events.make(createdAt: 2, kind: 3, tags: [["p", "new-friend"]])
    _ = try store.store(old)
    _ = try store.store(new)
    #expect(try store.query([NostrFilter(tags: ["p": ["old-friend"]])]).isEmpty)
    #expect(try store.query([NostrFilter(tags: ["p": ["new-friend"]])]).map(\.id) == [new.id])
  }

  @Test("U+0000: kept exactly in tags (escaped JSON) and content (content_json), readable text in content")
  func nul() throws {
    let (store, url) = try freshStore()
    defer { store.close() }
    let tagged = Events.make(tags: [["t", "a\u{0}b"], ["x\u{0}y", "z"]], content: "a\u{0}b\u{1}c")
    #expect(try store.store(tagged) == .stored)
    #expect(try store.event(id: tagged.id) == tagged)
    #expect(try store.query([NostrFilter(ids: [tagged.id])]) == [tagged])
    // Indexed up to the first U+0000, as the SQLite store does.
    #expect(try store.query([NostrFilter(tags: ["#t": ["a"]])]).map(\.id) == [tagged.id])
    let columns = try TestCluster.shared!.admin(url) { db throws(PGError) in
      try db.query("SELECT content, content_json FROM events WHERE id = $1", [tagged.id]).rows
    }
    #expect(columns == [["a\u{FFFD}b\u{1}c", #""a\u0000b\u0001c""#]])
    let plain = Events.make(content: "plain")
    #expect(try store.store(plain) == .stored)
    #expect(try store.event(id: plain.id) == plain)
  }

  @Test("the PostgreSQL store agrees with the Nostr module's in-memory reference store")
  func agreesWithInMemoryStore() throws {
    let (store, _) = try freshStore()
    defer { store.close() }
    let memory = InMemoryEventStore()
    var generator = SystemRandomNumberGenerator()
    var pool: [NostrEvent] = []
    for step in 0..<300 {
      let event: NostrEvent
      if !pool.isEmpty && step % 7 == 0 {
        event = pool.randomElement(using: &generator)!
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
      #expect(try store.store(event) == (try memory.store(event)), "step \(step)")
    }
    let everything = [NostrFilter()]
    #expect(try store.query(everything) == (try memory.query(everything)))
  }
}
