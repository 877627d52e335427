import Glibc
import Nostr
import Testing
import Threads

@testable import BLSPostgres

/// Several nodes on one database: what issue 15 promises when two BLS share PostgreSQL.
@Suite("PostgreSQL: two nodes, one database", .enabled(if: TestCluster.binariesPresent, TestCluster.skipReason))
struct PGNodesTests {
  /// Submits every `(store, event)` at once, without waiting in between; returns the results
  /// in the same order.
  static func storeAll(_ work: [(PostgresEventStore, NostrEvent)]) -> [Result<StoreOutcome, EventStoreError>] {
    let answers = BlockingQueue<(Int, Result<StoreOutcome, EventStoreError>)>()
    for (index, (store, event)) in work.enumerated() {
      store.store(event) { answers.push((index, $0)) }
    }
    var results = [Result<StoreOutcome, EventStoreError>?](repeating: nil, count: work.count)
    for _ in work.indices {
      let (index, result) = answers.pop()!
      results[index] = result
    }
    return results.map { $0! }
  }

  @Test("competing replaceable and addressable events from two nodes: exactly the newest per address, no duplicates")
  func race() throws {
    let (first, url) = try freshStore(options: .init(applicationName: "bls-node-1"))
    defer { first.close() }
    let second = try PostgresEventStore(url: url, options: .init(applicationName: "bls-node-2"))
    defer { second.close() }
    var generator = SystemRandomNumberGenerator()
    var byAddress: [String: [NostrEvent]] = [:]
    var outcomes: [String: [StoreOutcome]] = [:]
    // Rounds of fresh addresses: each round both nodes race on every address at once.
    for round in 0..<6 {
      var work: [(PostgresEventStore, NostrEvent)] = []
      for address in (round * 12)..<(round * 12 + 12) {
        let kind = address % 2 == 0 ? 10002 : 30023
        let tags = kind == 30023 ? [["d", "article-\(address)"]] : []
        let pubkey = Events.hex()
        // An older holder, committed before the race: both nodes find it and compete to replace it.
        let initial = Events.make(pubkey: pubkey, createdAt: 0, kind: kind, tags: tags)
        byAddress["\(address)", default: []].append(initial)
        #expect(try first.store(initial) == .stored)
        // Ten competitors per address, several sharing created_at (the lowest id must win).
        for _ in 0..<10 {
          let event = Events.make(
            pubkey: pubkey, createdAt: Int64.random(in: 1..<4, using: &generator), kind: kind, tags: tags)
          byAddress["\(address)", default: []].append(event)
          // Each event goes to both nodes: one must store it, the other find it (or lose).
          work.append((first, event))
          work.append((second, event))
        }
      }
      work.shuffle(using: &generator)
      for ((_, event), result) in zip(work, Self.storeAll(work)) {
        #expect(throws: Never.self) { try result.get() }
        if let outcome = try? result.get() { outcomes[event.id, default: []].append(outcome) }
      }
    }
    let stored = try first.query([NostrFilter()])
    #expect(Set(stored.map(\.id)).count == stored.count, "duplicate rows")
    #expect(stored.count == byAddress.count, "one event per address")
    for (address, events) in byAddress {
      let winner = events.min(by: NostrEvent.queryOrder)!
      #expect(stored.contains(winner), "address \(address): the newest (lowest id on ties) must win")
      // Of each winner's two submissions, exactly one stored it.
      let answers = outcomes[winner.id] ?? []
      #expect(answers.sorted { "\($0)" < "\($1)" } == [.duplicate, .stored], "address \(address): \(answers)")
    }
    let addresses = try TestCluster.shared!.admin(url) { db throws(PGError) in
      try db.query("SELECT count(*), count(DISTINCT event_id) FROM event_addresses", []).rows[0]
    }
    #expect(addresses == ["\(byAddress.count)", "\(byAddress.count)"])
    let tagRows = try TestCluster.shared!.admin(url) { db throws(PGError) in
      try db.query("SELECT count(*) FROM event_tags WHERE event_id NOT IN (SELECT id FROM events)", []).rows[0][0]
    }
    #expect(tagRows == "0")
  }

  @Test("the same regular event stored by two nodes at once is stored once and a duplicate once")
  func duplicateAcrossNodes() throws {
    let (first, url) = try freshStore()
    defer { first.close() }
    let second = try PostgresEventStore(url: url)
    defer { second.close() }
    let events = (0..<50).map { _ in Events.make(kind: 1) }
    let results = Self.storeAll(events.flatMap { [(first, $0), (second, $0)] })
    let outcomes = results.map { try? $0.get() }
    #expect(outcomes.filter { $0 == .stored }.count == 50)
    #expect(outcomes.filter { $0 == .duplicate }.count == 50)
    #expect(try second.query([NostrFilter()]).count == 50)
  }

  @Test("two nodes opening a new database together migrate it once")
  func migrateOnce() throws {
    let url = TestCluster.shared!.createDatabase()
    let opened = BlockingQueue<Result<Int, PostgresOpenError>>()
    let threads = try (0..<3).map { _ in
      try PosixThread {
        do throws(PostgresOpenError) {
          let store = try PostgresEventStore(url: url)
          opened.push(.success(store.openedSchemaVersion))
          store.close()
        } catch {
          opened.push(.failure(error))
        }
      }
    }
    let versions = (0..<3).map { _ in try? opened.pop()!.get() }
    for thread in threads { thread.join() }
    let current = PGSchema.currentVersion
    #expect(versions.sorted { ($0 ?? -1) < ($1 ?? -1) } == [0, current, current])
    let rows = try TestCluster.shared!.admin(url) { db throws(PGError) in
      try db.query("SELECT version FROM bls_schema ORDER BY version", []).rows
    }
    #expect(rows == (1...current).map { [String($0)] })
  }
}
