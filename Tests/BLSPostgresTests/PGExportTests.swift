import BLSTestSupport
import Nostr
import Testing

@testable import BLSPostgres

/// ``PostgresEventExporter`` on a real PostgreSQL: every event once, keyset pages bounded in
/// rows and bytes, one snapshot, expired events left out, clear errors without the password.
@Suite(
  "PostgreSQL: reading every event for export and copy",
  .enabled(if: TestCluster.binariesPresent, TestCluster.skipReason))
struct PGExportTests {
  @Test("more events than a page: each read exactly once, in id order, byte for byte")
  func everyEventOnce() throws {
    let (store, url) = try freshStore()
    var written: [NostrEvent] = []
    for index in 0..<(PostgresEventExporter.pageRows * 2 + 37) {
      written.append(Events.make(createdAt: Int64(1_700_000_000 + index % 7), tags: [["t", "x\(index)"]]))
    }
    // U+0000 in content is kept exactly (content_json), quotes and non-ASCII too.
    written.append(Events.make(tags: [["r", "wss://ü/\"q\""]], content: "a\u{0}b \"✓\""))
    for event in written { #expect(try store.store(event) == .stored) }
    store.close()

    let exporter = try PostgresEventExporter(url: url)
    #expect(try exporter.count() == Int64(written.count))
    var read: [NostrEvent] = []
    #expect(try exporter.forEach { read.append($0) } == 0)
    #expect(read.map(\.id) == written.map(\.id).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    let byID = Dictionary(uniqueKeysWithValues: written.map { ($0.id, $0) })
    for event in read { #expect(event == byID[event.id], "event \(event.id) read back differs") }
  }

  @Test("a page of large events stops at the byte bound, but always holds one event")
  func pageBytes() throws {
    let (store, url) = try freshStore()
    let third = String(repeating: "x", count: PostgresEventExporter.pageBytes / 3)
    let small = (0..<5).map { _ in Events.make(id: Events.id(prefix: "0"), content: third) }
    let huge = Events.make(
      id: Events.id(prefix: "e"), content: String(repeating: "y", count: PostgresEventExporter.pageBytes))
    let tail = Events.make(id: Events.id(prefix: "f"))
    for event in small + [huge, tail] { #expect(try store.store(event) == .stored) }
    store.close()

    let exporter = try PostgresEventExporter(url: url)
    let ids = small.map(\.id).sorted()
    let first = try exporter.page(after: "")
    // Each event is a third of the bound and its tags ("[]"): the fourth would begin past it.
    #expect(first.map(\.id) == Array(ids[0..<3]))
    // An event may begin below the bound and end past it: the huge one comes whole.
    let second = try exporter.page(after: first.last!.id)
    #expect(second.map(\.id) == [ids[3], ids[4], huge.id])
    // Nothing begins after a first event larger than the bound.
    #expect(try exporter.page(after: ids[4]).map(\.id) == [huge.id])
    #expect(try exporter.page(after: huge.id).map(\.id) == [tail.id])
    #expect(try exporter.page(after: tail.id).isEmpty)
    var all = 0
    try exporter.forEach { _ in all += 1 }
    #expect(all == 7)
  }

  @Test("one snapshot: events stored while the export reads are not in it")
  func snapshot() throws {
    let (store, url) = try freshStore()
    defer { store.close() }
    let before = (0..<(PostgresEventExporter.pageRows + 10)).map { _ in Events.make(id: Events.id(prefix: "0")) }
    for event in before { _ = try store.store(event) }
    let exporter = try PostgresEventExporter(url: url)
    var read = Set<String>()
    var during: [NostrEvent] = []
    try exporter.forEach { event in
      if read.isEmpty {
        // Ids after every one stored before: a reader without a snapshot would page into them.
        during = (0..<20).map { _ in Events.make(id: Events.id(prefix: "f")) }
        for added in during { _ = try store.store(added) }
      }
      read.insert(event.id)
    }
    let added = read.subtracting(before.map(\.id))
    #expect(added.isEmpty, "read \(added.count) events stored after the export began")
    #expect(read.count == before.count)
    #expect(try store.event(id: during[0].id) != nil)
  }

  @Test("an expired event is never read; one expiring later is")
  func expired() throws {
    let (store, url) = try freshStore()
    let gone = Events.make(tags: [["expiration", "2000000000"]])
    let kept = Events.make(tags: [["expiration", "2000000001"]])
    _ = try store.store(gone)
    _ = try store.store(kept)
    store.close()
    let exporter = try PostgresEventExporter(url: url)
    var read: [String] = []
    #expect(try exporter.forEach(now: 2_000_000_000) { read.append($0.id) } == 1)
    #expect(read == [kept.id])
  }

  @Test("a connection lost between pages stops the reading with `unavailable`, after the pages read")
  func connectionLost() throws {
    let cluster = try #require(TestCluster.shared)
    let (store, url) = try freshStore()
    for _ in 0..<(PostgresEventExporter.pageRows + 5) { _ = try store.store(Events.make()) }
    store.close()
    let exporter = try PostgresEventExporter(url: url)
    var read = 0
    #expect {
      try exporter.forEach { _ in
        if read == 0 {
          // The two-argument form waits until the backend is gone (PostgreSQL 14 and later).
          _ = try cluster.admin { db throws(PGError) in
            try db.query("SELECT pg_terminate_backend($1::integer, 10000)", [String(exporter.backendPID)])
          }
        }
        read += 1
      }
    } throws: { error in
      (error as? EventStoreError)?.code == "unavailable"
    }
    #expect(read == PostgresEventExporter.pageRows)
  }

  @Test("no events table, or no server: one line, never the password")
  func errors() throws {
    let cluster = try #require(TestCluster.shared)
    let empty = cluster.createDatabase()
    let withPassword = empty.replacingOccurrences(of: "bls@", with: "bls:s3cret@")
    #expect {
      _ = try PostgresEventExporter(url: withPassword)
    } throws: { error in
      let error = error as? PostgresOpenError
      return error?.code == "database_missing" && error?.message.contains("has no events table") == true
        && error?.message.contains("s3cret") == false
    }
    let port = LoopbackPort.free()
    #expect {
      _ = try PostgresEventExporter(url: "postgresql://bls:s3cret@127.0.0.1:\(port)/x")
    } throws: { error in
      let error = error as? PostgresOpenError
      return error?.code == "unreachable"
        && error?.message.hasPrefix("cannot connect to postgresql://127.0.0.1:\(port)/x: ") == true
        && error?.message.contains("s3cret") == false && error?.message.contains("\n") == false
    }
  }
}
