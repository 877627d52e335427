import BLSTestSupport
import Foundation
import Nostr
import Testing
import Threads

@testable import BLSPostgres
@testable import BLSStore

/// Each store the lifecycle rules (issue 14) hold for, so that one test states each rule once
/// for all of them: SQLite on a file and in memory, the in-memory test store and PostgreSQL
/// (on the shared throw-away cluster, when its binaries are installed).
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
  case sqlite
  case sqliteMemory = "sqlite :memory:"
  case memory
  case postgres

  var testDescription: String { rawValue }

  /// Every backend this machine can run (PostgreSQL needs Debian's `postgresql`).
  static var available: [Backend] {
    allCases.filter { $0 != .postgres || PostgresCluster.binariesPresent }
  }

  /// The backends with a writer queue that checks ``Nostr/StoreConditions`` when its batch
  /// forms, and a way to hold that writer.
  static var queued: [Backend] { available.filter { $0 == .sqlite || $0 == .postgres } }

  /// Opens a new, empty store of this backend.
  func open(sweepSeconds: Int = 86400) throws -> Subject {
    let now = Locked<Int64>(0)
    let clock: @Sendable () -> Int64 = { now.value }
    func setting(_ time: Int64) { now.withLock { $0 = time } }
    switch self {
    case .sqlite, .sqliteMemory:
      let directory =
        self == .sqliteMemory
        ? SQLiteEventStore.memoryDirectory
        : FileManager.default.temporaryDirectory.path + "/bls-lifecycle-\(UUID().uuidString.prefix(8))"
      if self == .sqlite {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      }
      let store = try SQLiteEventStore(
        dataDirectory: directory, options: .init(expirationSweepSeconds: sweepSeconds, clock: clock))
      return Subject(
        store: store,
        sweep: { time in
          setting(time)
          return try store.deleteExpiredEvents()
        },
        stall: {
          // Another connection holds the write lock: the writer's next commit waits.
          let blocker = try SQLiteConnection.open(path: store.databasePath!, flags: 0x2)
          try blocker.execute("BEGIN IMMEDIATE")
          return {
            try? blocker.execute("COMMIT")
            blocker.close()
          }
        },
        dropped: { store.statistics.droppedBeforeCommit },
        close: {
          store.close()
          if self == .sqlite { try? FileManager.default.removeItem(atPath: directory) }
        })
    case .memory:
      let store = InMemoryEventStore()
      return Subject(
        store: store, sweep: { store.deleteExpiredEvents(now: $0) }, stall: nil, dropped: { 0 }, close: {})
    case .postgres:
      let url = try #require(PostgresCluster.shared).createDatabase()
      let store = try PostgresEventStore(
        url: url, options: .init(expirationSweepSeconds: sweepSeconds, clock: clock))
      var subject = Subject(
        store: store,
        sweep: { time in
          setting(time)
          return try store.deleteExpiredEvents()
        },
        stall: {
          // Another session holds the lock every batch takes first (PGSchema.deletionLockKey).
          let blocker = try PGConnection.connect(url: url, applicationName: "bls-tests-stall")
          try blocker.query("SELECT pg_advisory_lock($1)", [String(PGSchema.deletionLockKey)])
          return { blocker.close() }
        },
        dropped: { store.statistics.droppedBeforeCommit },
        close: { store.close() })
      subject.awaitHeld = {
        // The writer's session waits for the advisory lock (pg_locks: not granted).
        let admin = try? PGConnection.connect(url: url, applicationName: "bls-tests-watch")
        defer { admin?.close() }
        let waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        for _ in 0..<2000 where (try? admin?.query(waiting, []).rows.first?[0]) != "1" { usleep(5000) }
      }
      return subject
    }
  }
}

/// An open store and what the tests do to it beside the ``Nostr/EventStore`` calls.
struct Subject {
  var store: any EventStore
  /// Sets the store's clock to a Unix time and sweeps expired events until none is left;
  /// returns how many were deleted.
  var sweep: (Int64) throws -> Int
  /// Holds the writer before its next commit; returns what releases it (`nil`: no writer).
  var stall: (() throws -> () -> Void)?
  /// Returns once the writer has taken a batch and waits for the stall (or, where that cannot
  /// be seen, after a moment).
  var awaitHeld: () -> Void = { usleep(200_000) }
  /// Events dropped unstored when their batch formed.
  var dropped: () -> Int
  var close: () -> Void
}

/// A NIP-09 deletion by `pubkey` (kind 5).
func deletion(pubkey: String = Events.alice, createdAt: Int64 = 100, _ tags: [[String]]) -> NostrEvent {
  Events.make(pubkey: pubkey, createdAt: createdAt, kind: 5, tags: tags)
}
