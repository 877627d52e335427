import Foundation
import Nostr
import Synchronization
import Testing

@testable import BLSStore

@Suite("Adoption: a reference file takes the fast path to the same end state, with progress")
struct AdoptionTests {
  /// Events of every shape the migration treats differently.
  static func referenceEvents() -> [NostrEvent] {
    var events: [NostrEvent] = []
    for index in 0..<40 {
      let at = Int64(1_700_000_000 + index)
      events.append(
        Events.make(createdAt: at, kind: 1, tags: [["e", "root\(index % 3)"], ["p", Events.bob], ["t", "x"]]))
      events.append(Events.make(pubkey: Events.bob, createdAt: at, kind: 7, tags: [["e", "root"], ["E", "big"]]))
      events.append(Events.make(createdAt: at, kind: index % 2 == 0 ? 0 : 3))
      events.append(Events.make(createdAt: at, kind: 10002, tags: [["r", "wss://r\(index % 2)"]]))
      events.append(Events.make(createdAt: at, kind: 30023, tags: [["d", "slug\(index % 4)"], ["title", "t"]]))
    }
    // Ties on created_at (lowest id wins), no d, empty d, odd tags.
    events.append(Events.make(id: Events.id(prefix: "00"), pubkey: Events.bob, createdAt: 50, kind: 3))
    events.append(Events.make(id: Events.id(prefix: "ff"), pubkey: Events.bob, createdAt: 50, kind: 3))
    events.append(Events.make(createdAt: 40, kind: 30023, tags: [["title", "none"]]))
    events.append(Events.make(createdAt: 41, kind: 30023, tags: [["d", ""]]))
    events.append(Events.make(createdAt: 42, kind: 1, tags: [[], ["e"], ["ee", "x"], ["p", "a", "b"]]))
    return events
  }

  /// Everything a later release reads: the schema objects and every table's rows.
  static func dump(_ path: String) throws -> [String] {
    try withRawDatabase(path) { db throws in
      var lines = try db.texts(
        "SELECT type || ' ' || name || ' ' || tbl_name || ' ' || coalesce(sql, '') FROM sqlite_schema ORDER BY type, name"
      )
      lines += try db.texts("SELECT 'version ' || user_version FROM pragma_user_version")
      lines += try db.texts(
        "SELECT id || pubkey || kind || content || tags || created_at || sig || received_at FROM events ORDER BY id")
      lines += try db.texts("SELECT name || '|' || value || '|' || created_at || '|' || event_rowid FROM event_tags")
      lines += try db.texts("SELECT pubkey || kind || '|' || d || '|' || event_id FROM event_addresses")
      lines += try db.texts("SELECT key || value FROM bls_state")
      return lines
    }
  }

  @Test("fast path and the three migrations one after another leave identical files")
  func fastPathEqualsStepwise() throws {
    let directory = TemporaryDirectory("adopt")
    defer { directory.remove() }
    let fast = directory.path + "/fast.db"
    let stepwise = directory.path + "/stepwise.db"
    try MigrationTests.writeReferenceFile(fast, Self.referenceEvents())
    try FileManager.default.copyItem(atPath: fast, toPath: stepwise)

    let fastReport = try withRawDatabase(fast) { db throws in try SchemaMigrator.migrate(db) }
    let stepReport = try withRawDatabase(stepwise) { db throws in try SchemaMigrator.migrate(db, stepwise: true) }
    #expect(fastReport == stepReport)
    #expect(fastReport.adoptedReferenceFile)
    let fastDump = try Self.dump(fast)
    #expect(fastDump == (try Self.dump(stepwise)))
    #expect(fastDump.contains("version \(Schema.currentVersion)"))
    #expect(try withRawDatabase(fast) { db throws in try db.texts("PRAGMA integrity_check") } == ["ok"])
  }

  @Test("progress: every step reported in order, the tag step counting every row left, then finished")
  func reportsProgress() throws {
    let directory = TemporaryDirectory("adopt-progress")
    defer { directory.remove() }
    let events = Self.referenceEvents()
    try MigrationTests.writeReferenceFile(directory.databasePath, events)
    let reports = Mutex<[MigrationProgress]>([])
    var options = SQLiteEventStore.Options()
    options.migrationProgress = { progress in reports.withLock { $0.append(progress) } }
    let store = try SQLiteEventStore(dataDirectory: directory.path, options: options)
    let stored = try store.query([NostrFilter()]).count
    store.close()
    let seen = reports.withLock { $0 }
    #expect(seen.first?.rowsTotal == Int64(events.count))
    #expect(seen.last?.rowsTotal == Int64(stored))
    var steps: [Int] = []
    for report in seen where steps.last != report.stepNumber { steps.append(report.stepNumber) }
    #expect(steps == Array(1...Schema.adoptionSteps.count))
    #expect(seen.map(\.step).contains("indexing tags"))
    let tagStep = seen.last { $0.step == "indexing tags" }
    #expect(tagStep?.rowsDone == Int64(stored), "the tag step scans every event that stays")
    #expect(seen.last?.finished == true)
    #expect(seen.dropLast().allSatisfy { !$0.finished })
  }

  @Test("a store already current reports nothing")
  func currentStoreIsQuiet() throws {
    let directory = TemporaryDirectory("adopt-quiet")
    defer { directory.remove() }
    try SQLiteEventStore(dataDirectory: directory.path).close()
    let reports = Mutex(0)
    var options = SQLiteEventStore.Options()
    options.migrationProgress = { _ in reports.withLock { $0 += 1 } }
    try SQLiteEventStore(dataDirectory: directory.path, options: options).close()
    #expect(reports.withLock { $0 } == 0)
  }

  @Test("events another program added are indexed at open with progress reported")
  func reindexReportsProgress() throws {
    let directory = TemporaryDirectory("adopt-reindex")
    defer { directory.remove() }
    try SQLiteEventStore(dataDirectory: directory.path).close()
    let added = (0..<5).map { Events.make(createdAt: Int64(100 + $0), tags: [["t", "other"]]) }
    try withRawDatabase(directory.databasePath) { db throws in
      for event in added {
        try db.execute(
          "INSERT INTO events VALUES ('\(event.id)', '\(event.pubkey)', 1, 'x', '[[\"t\",\"other\"]]', \(event.createdAt), '\(event.sig)', 1)"
        )
      }
    }
    let reports = Mutex<[MigrationProgress]>([])
    var options = SQLiteEventStore.Options()
    options.migrationProgress = { progress in reports.withLock { $0.append(progress) } }
    let store = try SQLiteEventStore(dataDirectory: directory.path, options: options)
    defer { store.close() }
    #expect(store.reindexedEvents == 5)
    #expect(try store.query([NostrFilter(tags: ["t": ["other"]])]).count == 5)
    let seen = reports.withLock { $0 }
    #expect(seen.first?.step == "indexing events another program added")
    #expect(seen.first?.rowsTotal == 5)
    #expect(seen.last?.finished == true)
  }
}
