import BLSTestSupport
import Foundation
import JSON
import Nostr
import Testing
import Threads

@testable import BLSStore

@Suite("Operations: online backup, export and import on real files")
struct OperationsTests {
  /// Validly signed events: notes, a replaced profile and two versions of an article.
  static func signedEvents(_ count: Int, key: SecretKey = .generate()) -> [NostrEvent] {
    var events: [NostrEvent] = []
    for index in 0..<count {
      let at = Int64(1_700_000_000 + index)
      switch index % 5 {
      case 0: events.append(.signed(secretKey: key, createdAt: at, kind: 0, content: "{\"name\":\"v\(index)\"}"))
      case 1:
        events.append(
          .signed(secretKey: key, createdAt: at, kind: 30023, tags: [["d", "a\(index % 3)"]], content: "x"))
      default:
        events.append(
          .signed(
            secretKey: key, createdAt: at, kind: 1, tags: [["t", "ops"], ["p", key.publicKey.hex]],
            content: "note \(index) ✓"))
      }
    }
    return events
  }

  static func lines(_ events: [NostrEvent]) -> [[UInt8]] {
    events.map { $0.jsonValue.serializedBytes }
  }

  @Test("backup under concurrent writes: integrity_check ok, every event acknowledged before it, writer never blocked")
  func backupUnderWrites() throws {
    let directory = TemporaryDirectory("backup")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    defer { store.close() }
    for event in Self.signedEvents(300) { _ = try store.store(event) }
    let initial = try store.query([NostrFilter()]).count

    let acknowledged = Locked<[String]>([])
    let stop = Locked(false)
    let writerDone = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      var index = 0
      while !stop.withLock({ $0 }) {
        let event = Events.make(createdAt: Int64(1_800_000_000 + index), tags: [["t", "during"]])
        if (try? store.store(event)) == .stored { acknowledged.withLock { $0.append(event.id) } }
        index += 1
      }
      writerDone.signal()
    }
    #expect(ChildWait.until { acknowledged.withLock { $0.count } >= 20 })
    let before = Set(acknowledged.withLock { $0 })
    var steps = 0
    var writerProgressed = true
    var backup = DatabaseBackup(source: directory.databasePath, destination: directory.path + "/copy.db")
    backup.pagesPerStep = 4
    backup.pauseMicroseconds = 0
    let report = try backup.run(overwrite: false) { _, _ in
      steps += 1
      if steps == 2 {
        // Mid-backup, the writer must still commit: the copy is a WAL reader.
        let seen = acknowledged.withLock { $0.count }
        writerProgressed = ChildWait.until { acknowledged.withLock { $0.count } >= seen + 5 }
      }
    }
    stop.withLock { $0 = true }
    writerDone.wait()
    #expect(writerProgressed, "the writer stalled while the backup ran")
    #expect(steps > 2)
    #expect(!FileManager.default.fileExists(atPath: directory.path + "/copy.db.tmp"))

    let copied = try withRawDatabase(directory.path + "/copy.db") { db throws in
      #expect(try db.texts("PRAGMA integrity_check") == ["ok"])
      #expect(try db.texts("PRAGMA journal_mode") == ["delete"], "a backup is one file")
      return Set(try db.texts("SELECT id FROM events"))
    }
    #expect(before.isSubset(of: copied))
    #expect(report.events == Int64(copied.count))
    #expect(copied.count >= initial + before.count)
  }

  @Test("backup refuses an existing destination unless told to overwrite; a missing database is named")
  func backupRefusals() throws {
    let directory = TemporaryDirectory("backup-refuse")
    defer { directory.remove() }
    try SQLiteEventStore(dataDirectory: directory.path).close()
    let destination = directory.path + "/copy.db"
    FileManager.default.createFile(atPath: destination, contents: Data("keep".utf8))
    let backup = DatabaseBackup(source: directory.databasePath, destination: destination)
    #expect(throws: OperationError.self) { try backup.run(overwrite: false) }
    #expect(try String(contentsOfFile: destination, encoding: .utf8) == "keep")
    _ = try backup.run(overwrite: true)
    #expect(try withRawDatabase(destination) { db throws in try db.texts("PRAGMA integrity_check") } == ["ok"])
    do {
      _ = try DatabaseBackup(source: directory.databasePath, destination: directory.databasePath).run(overwrite: true)
      Issue.record("a backup over the live database must fail")
    } catch {
      #expect(error.message.contains("the live database itself"))
    }
    #expect(
      try withRawDatabase(directory.databasePath) { db throws in try db.texts("PRAGMA integrity_check") } == ["ok"])
    let missing = DatabaseBackup(source: directory.path + "/nope/events.db", destination: directory.path + "/x.db")
    do {
      _ = try missing.run(overwrite: false)
      Issue.record("a missing database must fail")
    } catch {
      #expect(error.code == "database_missing")
    }
  }

  @Test("a second backup to the same destination while one runs is refused, and leaves the first's file alone")
  func concurrentBackupRefused() throws {
    let directory = TemporaryDirectory("backup-busy")
    defer { directory.remove() }
    try SQLiteEventStore(dataDirectory: directory.path).close()
    let destination = directory.path + "/copy.db"
    // The lock a running backup holds on its temporary file.
    let running = open(destination + ".tmp", O_RDWR | O_CREAT, 0o600)
    #expect(running >= 0 && flock(running, LOCK_EX | LOCK_NB) == 0)
    _ = write(running, "in progress", 11)
    do {
      _ = try DatabaseBackup(source: directory.databasePath, destination: destination).run(overwrite: true)
      Issue.record("a concurrent backup must be refused")
    } catch {
      #expect(error.code == "busy")
    }
    #expect(try String(contentsOfFile: destination + ".tmp", encoding: .utf8) == "in progress")
    #expect(!FileManager.default.fileExists(atPath: destination))
    close(running)
    // Once the lock is gone (a killed backup's leftover), the file is reused.
    _ = try DatabaseBackup(source: directory.databasePath, destination: destination).run(overwrite: false)
    #expect(try withRawDatabase(destination) { db throws in try db.texts("PRAGMA integrity_check") } == ["ok"])
  }

  @Test("restore: a backup put in place of events.db opens with every event and takes new ones")
  func restore() throws {
    let directory = TemporaryDirectory("restore")
    defer { directory.remove() }
    let events = Self.signedEvents(50)
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    for event in events { _ = try store.store(event) }
    let kept = Set(try store.query([NostrFilter()]).map(\.id))
    _ = try DatabaseBackup(source: directory.databasePath, destination: directory.path + "/backup.db").run(
      overwrite: false)
    store.close()

    // Stop, replace, start (docs/operations.md, Restore).
    let restored = TemporaryDirectory("restored")
    defer { restored.remove() }
    try FileManager.default.copyItem(atPath: directory.path + "/backup.db", toPath: restored.databasePath)
    let reopened = try SQLiteEventStore(dataDirectory: restored.path)
    defer { reopened.close() }
    #expect(Set(try reopened.query([NostrFilter()]).map(\.id)) == kept)
    #expect(try reopened.store(Events.make()) == .stored)
    #expect(try reopened.query([NostrFilter(tags: ["t": ["ops"]])]).count == 30)
    #expect(try reopened.integrityCheck() == ["ok"])
  }

  @Test("export → import into an empty store gives the same events, in the same order")
  func exportImportRoundTrip() throws {
    let source = TemporaryDirectory("export")
    defer { source.remove() }
    let store = try SQLiteEventStore(dataDirectory: source.path)
    for event in Self.signedEvents(120) { _ = try store.store(event) }
    let stored = try store.query([NostrFilter()])
    store.close()

    var exported: [[UInt8]] = []
    let exporter = try EventExporter(databasePath: source.databasePath)
    #expect(try exporter.count() == Int64(stored.count))
    try exporter.forEach { exported.append($0.jsonValue.serializedBytes) }
    #expect(exported.count == stored.count)

    let target = TemporaryDirectory("import")
    defer { target.remove() }
    let into = try SQLiteEventStore(dataDirectory: target.path)
    let importer = EventImporter(store: into)
    for (index, line) in exported.enumerated() { importer.add(line: line, number: Int64(index + 1)) }
    importer.finish()
    #expect(try into.query([NostrFilter()]) == stored)
    into.close()
    let summary = importer.current
    #expect(summary == EventImporter.Summary(lines: Int64(stored.count), stored: Int64(stored.count)))

    var again: [[UInt8]] = []
    try EventExporter(databasePath: target.databasePath).forEach { again.append($0.jsonValue.serializedBytes) }
    #expect(again == exported)
  }

  @Test("export never writes an expired event (NIP-40), even before the sweep deleted it")
  func exportSkipsExpired() throws {
    let source = TemporaryDirectory("export-expired")
    defer { source.remove() }
    let store = try SQLiteEventStore(dataDirectory: source.path)
    let expiring = Events.make(tags: [["expiration", "2000000000"]])
    let lasting = Events.make()
    _ = try store.store(expiring)
    _ = try store.store(lasting)
    store.close()
    let exporter = try EventExporter(databasePath: source.databasePath)
    var before: [String] = []
    #expect(try exporter.forEach(now: 1_999_999_999) { before.append($0.id) } == 0)
    #expect(Set(before) == [expiring.id, lasting.id])
    var after: [String] = []
    #expect(try exporter.forEach(now: 2_000_000_000) { after.append($0.id) } == 1)
    #expect(after == [lasting.id])
  }

  @Test("import applies NIP-01: duplicates skipped, older replaceable versions superseded")
  func importRules() throws {
    let key = SecretKey.generate()
    let newer = NostrEvent.signed(secretKey: key, createdAt: 200, kind: 0, content: "new")
    let older = NostrEvent.signed(secretKey: key, createdAt: 100, kind: 0, content: "old")
    let note = NostrEvent.signed(secretKey: key, createdAt: 150, kind: 1, content: "n")
    let target = TemporaryDirectory("import-rules")
    defer { target.remove() }
    let store = try SQLiteEventStore(dataDirectory: target.path)
    let importer = EventImporter(store: store)
    for (index, line) in Self.lines([newer, note, note, older]).enumerated() {
      importer.add(line: line, number: Int64(index + 1))
    }
    importer.add(line: Array("   ".utf8), number: 5)
    importer.finish()
    #expect(Set(try store.query([NostrFilter()]).map(\.id)) == [newer.id, note.id])
    store.close()
    #expect(importer.current == EventImporter.Summary(lines: 4, stored: 2, duplicate: 1, superseded: 1))
  }

  @Test("an event whose NIP-40 expiration has passed is never stored: counted expired; a later one is stored")
  func importExpired() throws {
    let key = SecretKey.generate()
    let past = NostrEvent.signed(secretKey: key, createdAt: 100, kind: 1, tags: [["expiration", "1999"]], content: "a")
    let due = NostrEvent.signed(secretKey: key, createdAt: 100, kind: 1, tags: [["expiration", "2000"]], content: "b")
    let later = NostrEvent.signed(
      secretKey: key, createdAt: 100, kind: 1, tags: [["expiration", "2001"]], content: "c")
    let target = TemporaryDirectory("import-expired")
    defer { target.remove() }
    let store = try SQLiteEventStore(dataDirectory: target.path)
    let importer = EventImporter(store: store, clock: { 2000 })
    importer.add(line: past.jsonValue.serializedBytes, number: 1)
    importer.add(event: due)
    importer.add(event: later)
    importer.addExpired(2)
    importer.finish()
    #expect(try store.query([NostrFilter()]).map(\.id) == [later.id])
    store.close()
    #expect(importer.current == EventImporter.Summary(lines: 5, stored: 1, expired: 4))
  }

  @Test("an event read from a database is verified as a line is; refusals name its id")
  func importEventVerified() throws {
    let events = Self.signedEvents(3)
    var changed = events[1]
    changed.content += "!"
    let target = TemporaryDirectory("import-event")
    defer { target.remove() }
    let store = try SQLiteEventStore(dataDirectory: target.path)
    let importer = EventImporter(store: store)
    for event in [events[0], changed, events[2]] { importer.add(event: event) }
    importer.finish()
    #expect(Set(try store.query([NostrFilter()]).map(\.id)) == [events[0].id, events[2].id])
    store.close()
    let summary = importer.current
    #expect(summary.lines == 3 && summary.stored == 2 && summary.invalid == 1)
    #expect(summary.reasons.first?.hasPrefix("event \(changed.id): id_mismatch") == true, "\(summary.reasons)")
  }

  @Test("tampered lines are refused and named: bad id, bad signature, not JSON, overlong; the rest is stored")
  func importRefusesTampering() throws {
    let events = Self.signedEvents(6)
    var lines = Self.lines(events)
    // Line 2: content changed, id and sig kept → the id no longer matches.
    var changed = events[1]
    changed.content += "!"
    lines[1] = changed.jsonValue.serializedBytes
    // Line 4: another valid signature's bytes → the signature does not verify.
    var forged = events[3]
    forged.sig = events[4].sig
    lines[3] = forged.jsonValue.serializedBytes
    lines[5] = Array("{\"id\":".utf8)
    let target = TemporaryDirectory("import-tamper")
    defer { target.remove() }
    let store = try SQLiteEventStore(dataDirectory: target.path)
    let importer = EventImporter(store: store)
    for (index, line) in lines.enumerated() { importer.add(line: line, number: Int64(index + 1)) }
    importer.addOverlongLine(number: 7)
    importer.finish()
    #expect(Set(try store.query([NostrFilter()]).map(\.id)) == [events[0].id, events[2].id, events[4].id])
    store.close()
    let summary = importer.current
    #expect(summary.lines == 7)
    #expect(summary.stored == 3)
    #expect(summary.invalid == 4)
    #expect(summary.reasons.count == 4)
    #expect(summary.reasons[0].hasPrefix("line 2: id_mismatch"))
    #expect(summary.reasons[1].hasPrefix("line 4: bad_signature"))
    #expect(summary.reasons[2].hasPrefix("line 6: "))
    #expect(summary.reasons[3] == "line 7: longer than 1048576 bytes")
    #expect(summary.description.contains("invalid 4, expired 0 (line 2: id_mismatch"))
  }
}

/// A bounded wait for a condition another thread brings about (never a timing assertion: the
/// bound only keeps a broken build from hanging).
enum ChildWait {
  static func until(seconds: Double = 20, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
      if Date() > deadline { return false }
      usleep(1000)
    }
    return true
  }
}
