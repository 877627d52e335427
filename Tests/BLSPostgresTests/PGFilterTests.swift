import Nostr
import Testing

@testable import BLSPostgres

/// Tests/BLSStoreTests/FilterTests.swift, against a real PostgreSQL.
@Suite("PostgreSQL: NIP-01 filters", .enabled(if: TestCluster.binariesPresent, TestCluster.skipReason))
struct PGFilterTests {
  /// The SQLite suite's corpus, in a fresh database.
  static func corpus() throws -> (PostgresEventStore, [NostrEvent]) {
    let (store, _) = try freshStore()
    var events: [NostrEvent] = []
    for index in 0..<40 {
      let pubkey = index % 2 == 0 ? Events.alice : Events.bob
      let kind = [1, 7, 1984, 23194][index % 4]
      var tags: [[String]] = [["t", index % 3 == 0 ? "nostr" : "other"]]
      if index % 5 == 0 { tags.append(["e", "target-\(index % 10)"]) }
      if index % 4 == 1 { tags.append(["p", Events.bob, "wss://relay"]) }
      tags.append(["title", "t\(index % 2)"])
      events.append(Events.make(pubkey: pubkey, createdAt: Int64(1000 + index / 2), kind: kind, tags: tags))
    }
    for event in events { _ = try store.store(event) }
    return (store, events)
  }

  static let cases: [(String, [NostrFilter])] = [
    ("everything", [NostrFilter()]),
    ("ids", [NostrFilter(ids: [])]),
    ("authors", [NostrFilter(authors: [Events.bob])]),
    ("kinds", [NostrFilter(kinds: [7, 1984])]),
    ("since", [NostrFilter(since: 1010)]),
    ("until", [NostrFilter(until: 1003)]),
    ("since..until", [NostrFilter(since: 1005, until: 1008)]),
    ("#t", [NostrFilter(tags: ["t": ["nostr"]])]),
    ("#t with hash key", [NostrFilter(tags: ["#t": ["nostr"]])]),
    ("#e two values", [NostrFilter(tags: ["e": ["target-0", "target-5"]])]),
    ("#p and #t", [NostrFilter(tags: ["p": [Events.bob], "t": ["other"]])]),
    ("multi-letter tag, exact", [NostrFilter(tags: ["title": ["t1"]])]),
    ("tag value absent", [NostrFilter(tags: ["t": ["nope"]])]),
    ("tag with since", [NostrFilter(since: 1010, tags: ["t": ["nostr", "other"]])]),
    ("limit", [NostrFilter(limit: 5)]),
    ("limit 0", [NostrFilter(limit: 0)]),
    ("authors+kinds+limit", [NostrFilter(authors: [Events.alice], kinds: [1, 1984], limit: 3)]),
    ("OR of two", [NostrFilter(kinds: [7]), NostrFilter(authors: [Events.alice], limit: 2)]),
    ("overlapping OR", [NostrFilter(kinds: [1]), NostrFilter(tags: ["t": ["nostr"]])]),
    ("empty list", [NostrFilter(kinds: [])]),
    ("empty tag list", [NostrFilter(tags: ["t": []])]),
    (
      "an empty filter beside a limited one",
      [NostrFilter(kinds: []), NostrFilter(tags: ["e": ["target-5"]], limit: 1)]
    ),
    ("no filters", []),
  ]

  @Test("same results as the reference matcher, case by case")
  func matchesReference() throws {
    let (store, events) = try Self.corpus()
    defer { store.close() }
    for (name, filters) in Self.cases {
      #expect(try store.query(filters).map(\.id) == filters.select(from: events).map(\.id), "\(name)")
    }
  }

  @Test("ids select exactly those events, newest first then lowest id; a limit applies per filter")
  func idsOrderAndLimit() throws {
    let (store, events) = try Self.corpus()
    defer { store.close() }
    let chosen = [events[3], events[30], events[2]]
    let got = try store.query([NostrFilter(ids: chosen.map(\.id) + [Events.hex()])])
    #expect(got.map(\.id) == chosen.sorted(by: NostrEvent.queryOrder).map(\.id))
    let tie = try store.query([NostrFilter(ids: [events[2].id, events[3].id])])
    #expect(tie.map(\.id) == [events[2].id, events[3].id].sorted())
    let limited = try store.query([
      NostrFilter(authors: [Events.alice], limit: 2), NostrFilter(authors: [Events.bob], limit: 3),
    ])
    #expect(limited.filter { $0.pubkey == Events.alice }.count == 2)
    #expect(limited.filter { $0.pubkey == Events.bob }.count == 3)
    #expect(limited == limited.sorted(by: NostrEvent.queryOrder))
  }

  @Test("tag values are compared exactly: wildcards, quotes, braces and long values are plain text")
  func tagValuesExact() throws {
    let (store, _) = try freshStore()
    defer { store.close() }
    let long = String(repeating: "0123456789abcdef", count: 400)
    let values = ["100%", "100", "a_c", "abc", #"q"uote"#, #"q\"uote"#, "x,y", "", "{a}", long, long + "x"]
    let events = values.map { Events.make(tags: [["t", $0], ["tt", $0]]) }
    for event in events { _ = try store.store(event) }
    for (value, event) in zip(values, events) {
      #expect(try store.query([NostrFilter(tags: ["t": [value]])]).map(\.id) == [event.id], "#t \(value.prefix(20))")
      #expect(try store.query([NostrFilter(tags: ["tt": [value]])]).map(\.id) == [event.id], "tt \(value.prefix(20))")
    }
    #expect(try store.query([NostrFilter(ids: ["a\u{0}b"])]).isEmpty)
  }

  @Test("random filters over a random corpus agree with the reference matcher")
  func randomized() throws {
    let (store, _) = try freshStore()
    defer { store.close() }
    var generator = SystemRandomNumberGenerator()
    let authors = (0..<4).map { _ in Events.hex() }
    let values = ["a", "b", "c", "d"]
    var events: [NostrEvent] = []
    for _ in 0..<200 {
      let tags = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
        [["e", "p", "t"].randomElement(using: &generator)!, values.randomElement(using: &generator)!]
      }
      events.append(
        Events.make(
          pubkey: authors.randomElement(using: &generator)!,
          createdAt: Int64.random(in: 0..<50, using: &generator),
          kind: [1, 6, 7].randomElement(using: &generator)!, tags: tags))
    }
    for event in events { _ = try store.store(event) }
    for round in 0..<100 {
      var filters: [NostrFilter] = []
      for _ in 0..<Int.random(in: 1...3, using: &generator) {
        var filter = NostrFilter()
        if Int.random(in: 0..<4, using: &generator) == 0 {
          filter.ids = (0..<3).map { _ in events.randomElement(using: &generator)!.id }
        }
        if Bool.random(using: &generator) { filter.authors = Array(authors.shuffled().prefix(2)) }
        if Bool.random(using: &generator) { filter.kinds = [[1], [6, 7], [7]].randomElement(using: &generator)! }
        if Bool.random(using: &generator) { filter.since = Int64.random(in: 0..<50, using: &generator) }
        if Bool.random(using: &generator) { filter.until = Int64.random(in: 0..<50, using: &generator) }
        if Bool.random(using: &generator) {
          filter.tags[["e", "p", "t"].randomElement(using: &generator)!] = Array(values.shuffled().prefix(2))
        }
        if Bool.random(using: &generator) { filter.limit = Int.random(in: 1...20, using: &generator) }
        filters.append(filter)
      }
      #expect(try store.query(filters).map(\.id) == filters.select(from: events).map(\.id), "round \(round)")
    }
  }
}
