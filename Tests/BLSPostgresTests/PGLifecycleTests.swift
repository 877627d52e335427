import BLSMetrics
import Nostr
import Testing
import Threads

@testable import BLSPostgres

/// Issue 14's lifecycle on PostgreSQL, what is PostgreSQL's own (the rules themselves are in
/// Tests/StoreLifecycleTests, once for every store): the indexes, bounded passes, several
/// nodes sweeping and deleting on one database, the migration from version 1, the metrics.
@Suite("PostgreSQL: event lifecycle", .enabled(if: TestCluster.binariesPresent, TestCluster.skipReason))
struct PGLifecycleTests {
  static func deletion(pubkey: String = Events.alice, createdAt: Int64 = 100, _ tags: [[String]]) -> NostrEvent {
    Events.make(pubkey: pubkey, createdAt: createdAt, kind: 5, tags: tags)
  }

  /// The plan of `sql` with `arguments`, sequential scans priced out: what remains is the
  /// index the statement can use (a table this small would otherwise be read whole).
  static func plan(_ url: String, _ sql: String, _ arguments: [String?]) throws -> String {
    try TestCluster.shared!.admin(url) { db throws(PGError) in
      try db.execute("SET enable_seqscan = off")
      return try db.query("EXPLAIN " + sql, arguments).rows.compactMap { $0[0] }.joined(separator: "\n")
    }
  }

  @Test("isDeleted searches both deletion tables by primary key; the sweep finds due events by their index")
  func indexed() throws {
    let (store, url) = try freshStore()
    store.close()
    let deleted = try Self.plan(
      url, PGEventWriter.isDeletedSQL, [Events.hex(), Events.alice, "30023", Events.hex(), "5"])
    #expect(deleted.contains("event_deletions_pkey"), "\(deleted)")
    #expect(deleted.contains("address_deletions_pkey"), "\(deleted)")
    #expect(!deleted.contains("Seq Scan"), "\(deleted)")
    let sweep = try Self.plan(url, PGEventWriter.sweepSQL, ["1000", "500"])
    #expect(sweep.contains("event_expirations_due"), "\(sweep)")
  }

  @Test("one pass deletes at most 500, earliest first; a full sweep works the backlog off pass after pass")
  func boundedPasses() throws {
    let (store, url) = try freshStore(options: .init(clock: { 200 }))
    defer { store.close() }
    let events = (0..<1203).map { Events.make(tags: [["expiration", "\(100 + $0 % 7)"]]) }
    let answers = BlockingQueue<Void>()
    for event in events { store.store(event) { _ in answers.push(()) } }
    for _ in events { _ = answers.pop() }
    try TestCluster.shared!.admin(url) { db throws(PGError) in
      #expect(try PGEventWriter.deleteExpired(now: 100, limit: 500, on: db) == 172)
      #expect(try PGEventWriter.deleteExpired(now: 200, limit: 500, on: db) == 500)
      #expect(
        try db.query("SELECT min(expires_at) FROM event_expirations", []).rows[0][0].flatMap { Int($0) } ?? 0 >= 103)
      #expect(try db.query("SELECT count(*) FROM event_expirations", []).rows[0][0] == "531")
    }
    #expect(try store.deleteExpiredEvents() == 531)
    #expect(store.statistics.sweepPasses == 2)
    #expect(store.statistics.sweepDeleted == 531)
    let orphans = try TestCluster.shared!.admin(url) { db throws(PGError) in
      try db.query("SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM event_expirations)", []).rows[0][0]
    }
    #expect(orphans == "0")
  }

  @Test("two nodes sweeping one database at once share the work: each expired event deleted once, no errors")
  func concurrentSweeps() throws {
    let (first, url) = try freshStore(options: .init(clock: { 1000 }))
    defer { first.close() }
    let second = try PostgresEventStore(url: url, options: .init(clock: { 1000 }))
    defer { second.close() }
    let events = (0..<3000).map { Events.make(tags: [["expiration", "\($0 % 900)"]]) }
    let answers = BlockingQueue<Void>()
    for event in events { first.store(event) { _ in answers.push(()) } }
    for _ in events { _ = answers.pop() }
    let swept = BlockingQueue<Result<Int, EventStoreError>>()
    let threads = try [first, second].map { node in
      try PosixThread { swept.push(Result { () throws(EventStoreError) in try node.deleteExpiredEvents() }) }
    }
    let counts = try (0..<2).map { _ in try swept.pop()!.get() }
    for thread in threads { thread.join() }
    #expect(counts.reduce(0, +) == 3000)
    #expect(first.statistics.sweepFailures + second.statistics.sweepFailures == 0)
    #expect(try first.query([NostrFilter()]).isEmpty)
  }

  @Test("a deletion stored on one node while another stores its targets: every target ends deleted, none stays")
  func deletionRace() throws {
    let (first, url) = try freshStore(options: .init(applicationName: "bls-node-1"))
    defer { first.close() }
    let second = try PostgresEventStore(url: url, options: .init(applicationName: "bls-node-2"))
    defer { second.close() }
    var targets: [NostrEvent] = []
    for round in 0..<30 {
      let notes = (0..<10).map { _ in Events.make(createdAt: 50) }
      let articles = (0..<5).map { Events.make(createdAt: 50, kind: 30023, tags: [["d", "r\(round)-\($0)"]]) }
      let kind5 = Self.deletion(
        notes.map { ["e", $0.id] } + articles.map { ["a", "30023:\(Events.alice):\($0.tags[0][1])"] })
      targets += notes + articles
      // The targets to one node, the deletion to the other, all at once.
      let work = (notes + articles).map { (second, $0) } + [(first, kind5)]
      for result in PGNodesTests.storeAll(work) {
        #expect(throws: Never.self) { try result.get() }
      }
    }
    let stored = Set(try first.query([NostrFilter()]).map(\.id))
    let survivors = targets.filter { stored.contains($0.id) }
    #expect(survivors.count == 0, "\(survivors.count) of \(targets.count) deleted targets are stored")
    for target in targets.prefix(20) { #expect(try second.isDeleted(target)) }
  }

  @Test("a version 1 database migrates: stored expirations indexed, stored deletions recorded and applied")
  func migrateFromVersion1() throws {
    let cluster = try #require(TestCluster.shared)
    let url = cluster.createDatabase()
    let expiring = Events.make(tags: [["expiration", "1000"], ["t", "a\u{0}b"]])
    let target = Events.make(content: "deleted by a kind 5 stored before the upgrade")
    let bobs = Events.make(pubkey: Events.bob)
    let article = Events.make(createdAt: 50, kind: 30023, tags: [["d", "art"]])
    let kind5 = Self.deletion([["e", target.id], ["e", bobs.id], ["a", "30023:\(Events.alice):art"]])
    try cluster.admin(url) { db throws(PGError) in
      try db.execute(PGSchema.versionTable)
      try db.execute(PGSchema.version1)
      try db.execute("INSERT INTO bls_schema (version) VALUES (1)")
      for event in [expiring, target, bobs, article, kind5] {
        try db.query(
          "INSERT INTO events (id, pubkey, kind, content, tags, created_at, sig, received_at) VALUES ($1, $2, $3::integer, $4, $5, $6::bigint, $7, 0)",
          [
            event.id, event.pubkey, String(event.kind), event.content, PGEventWriter.tagsJSON(event.tags),
            String(event.createdAt), event.sig,
          ])
      }
      try db.query(
        "INSERT INTO event_addresses (pubkey, kind, d_sha256, d, event_id) VALUES ($1, 30023, $2, 'art', $3)",
        [Events.alice, PGEventWriter.addressHash(article), article.id])
      // A kind 5 another program wrote with tags that are not JSON: skipped, not an error.
      try db.query(
        "INSERT INTO events (id, pubkey, kind, content, tags, created_at, sig, received_at) VALUES ($1, $2, 5, '', 'not json', 1, '', 0)",
        [Events.hex(), Events.alice])
    }
    let store = try PostgresEventStore(url: url, options: .init(clock: { 1000 }))
    defer { store.close() }
    #expect(store.openedSchemaVersion == 1)
    #expect(try store.event(id: target.id) == nil)
    #expect(try store.event(id: article.id) == nil)
    #expect(try store.event(id: bobs.id) != nil)
    #expect(try store.isDeleted(target))
    #expect(try store.isDeleted(article))
    #expect(try store.store(target) == .superseded)
    #expect(try store.event(id: expiring.id) != nil)
    #expect(try store.deleteExpiredEvents() == 1)
    #expect(try store.event(id: expiring.id) == nil)
  }

  @Test("a version 1 database migrates a page at a time: a deletion on one page removes a later page's target")
  func migrateAcrossPages() throws {
    let cluster = try #require(TestCluster.shared)
    let url = cluster.createDatabase()
    // The deletion sorts first and its tags fill a page alone (PGLifecycleBackfill.pageBytes).
    let target = Events.make(id: Events.id(prefix: "ff"), tags: [["expiration", "5000"]])
    let kept = Events.make(id: Events.id(prefix: "fe"), tags: [["expiration", "1000"]])
    let filler = (0..<(PGLifecycleBackfill.pageBytes / 1000 + 1)).map { _ in
      ["t", String(repeating: "f", count: 1000)]
    }
    let kind5 = Events.make(id: Events.id(prefix: "00"), kind: 5, tags: filler + [["e", target.id]])
    try cluster.admin(url) { db throws(PGError) in
      try db.execute(PGSchema.versionTable)
      try db.execute(PGSchema.version1)
      try db.execute("INSERT INTO bls_schema (version) VALUES (1)")
      for event in [kind5, kept, target] {
        try db.query(
          "INSERT INTO events (id, pubkey, kind, content, tags, created_at, sig, received_at) VALUES ($1, $2, $3::integer, $4, $5, $6::bigint, $7, 0)",
          [
            event.id, event.pubkey, String(event.kind), event.content, PGEventWriter.tagsJSON(event.tags),
            String(event.createdAt), event.sig,
          ])
      }
    }
    let store = try PostgresEventStore(url: url, options: .init(clock: { 6000 }))
    defer { store.close() }
    #expect(store.openedSchemaVersion == 1)
    #expect(try store.event(id: target.id) == nil)
    #expect(try store.isDeleted(target))
    #expect(try store.event(id: kept.id) != nil)
    #expect(try store.deleteExpiredEvents() == 1, "the kept event's expiration was indexed")
    #expect(try store.event(id: kept.id) == nil)
  }

  @Test("the writer's figures on the metrics page, under the SQLite store's names; no WAL size")
  func metrics() throws {
    let (store, _) = try freshStore()
    defer { store.close() }
    let note = Events.make()
    #expect(try store.store(note) == .stored)
    #expect(try store.store(note) == .duplicate)
    #expect(try store.store(Events.make(createdAt: 10, kind: 0)) == .stored)
    #expect(try store.store(Events.make(createdAt: 9, kind: 0)) == .superseded)
    var page = MetricsText()
    store.write(to: &page)
    let parsed = try #require(MetricsPage(page.text))
    #expect(parsed.integer("bls_events_stored_total") == 2)
    #expect(parsed.integer("bls_events_duplicate_total") == 1)
    #expect(parsed.integer("bls_events_superseded_total") == 1)
    #expect(parsed.integer("bls_events_dropped_total") == 0)
    #expect(parsed.integer("bls_commit_failures_total") == 0)
    #expect(parsed.integer("bls_commit_batch_size_sum") == 4)
    #expect(parsed.integer("bls_commit_duration_seconds_count") == 4)
    #expect(parsed.integer("bls_writer_queue_depth") == 0)
    #expect(parsed.types["bls_commit_duration_seconds"] == "histogram")
    #expect(parsed.samples["bls_wal_bytes"] == nil)
  }
}
