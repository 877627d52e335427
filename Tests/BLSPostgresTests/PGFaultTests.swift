import Glibc
import Nostr
import Testing
import Threads

@testable import BLSPostgres

/// Lost connections and refusals at open (issue 15, "Faults"; docs/contract.md § Storage).
@Suite("PostgreSQL: faults", .enabled(if: TestCluster.binariesPresent, TestCluster.skipReason))
struct PGFaultTests {
  static func terminate(_ pid: Int32) throws {
    try TestCluster.shared!.admin { db throws(PGError) in
      _ = try db.query("SELECT pg_terminate_backend($1::integer)", [String(pid)])
    }
  }

  @Test("a connection cut between batches: the next batch, none of which was sent, runs on a new connection")
  func cutBetweenBatches() throws {
    let (store, _) = try freshStore()
    defer { store.close() }
    #expect(try store.store(Events.make()) == .stored)
    try Self.terminate(store.writerBackendPID)
    let next = Events.make()
    #expect(try store.store(next) == .stored)
    #expect(try store.event(id: next.id) == next)
    #expect(store.isAvailable)
    #expect(store.statistics.reconnects == 1)
    #expect(store.statistics.failedBatches == 0)
  }

  @Test("a connection found cut at BEGIN: an event whose deadline passed while reconnecting is not stored")
  func deadlinePassedWhileReconnecting() throws {
    let (store, url) = try freshStore()
    store.close()  // the schema is there; the writer below is the test's own
    // A reconnection that takes longer than the event has left (a server slow to accept).
    let connect: () throws(PGError) -> PGConnection = { () throws(PGError) in
      usleep(400_000)
      return try PGConnection.connect(url: url, applicationName: "bls-tests-slow-reconnect")
    }
    let committer = PGGroupCommitter(
      connection: try PGConnection.connect(url: url, applicationName: "bls-tests-writer"), maxBatch: 10,
      connect: connect)
    defer { committer.shutdown() }
    for _ in 0..<1000 where committer.backendPID == 0 { usleep(1000) }
    try Self.terminate(committer.backendPID)
    usleep(100_000)  // the session is gone before the batch's BEGIN is sent
    let late = Events.make()
    let answers = BlockingQueue<Result<StoreOutcome, EventStoreError>>()
    let deadline = StoreConditions.wallClockMillis() + 150
    committer.submit(late, conditions: StoreConditions(deadline: deadline)) { answers.push($0) }
    #expect {
      try answers.pop()!.get()
    } throws: { ($0 as? EventStoreError)?.code == EventStoreError.deadlineExceededCode }
    let stored = try TestCluster.shared!.admin(url) { db throws(PGError) in
      try db.query("SELECT count(*) FROM events WHERE id = $1", [late.id]).rows.first?.first
    }
    #expect(stored == "0", "stored after its caller's deadline had passed")
    #expect(committer.statistics.reconnects == 1)
    #expect(committer.statistics.droppedBeforeCommit == 1)
  }

  /// Waits until the store's writer session (a new one if `other` is given) waits for a lock,
  /// and returns its backend pid.
  static func writerWaitingForLock(_ store: PostgresEventStore, not other: Int32? = nil) throws -> Int32? {
    for _ in 0..<4000 {
      let pid = store.writerBackendPID
      if pid != 0, pid != other {
        let state = try TestCluster.shared!.admin { db throws(PGError) in
          try db.query("SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1::integer", [String(pid)]).rows
        }
        if state.first?.first == "Lock" { return pid }
      }
      usleep(5000)
    }
    return nil
  }

  @Test("a connection cut while a batch waits inside its transaction: its callers get errors, nothing of it is stored")
  func cutMidBatch() throws {
    let (store, url) = try freshStore()
    defer { store.close() }
    let holder = Events.make(createdAt: 1, kind: 10002)
    #expect(try store.store(holder) == .stored)
    // Another session holds the address row, so the writer blocks inside its transaction.
    let blocker = try PGConnection.connect(url: url, applicationName: "bls-tests-blocker")
    defer { blocker.close() }
    try blocker.execute("BEGIN")
    try blocker.query("SELECT 1 FROM event_addresses WHERE pubkey = $1 FOR UPDATE", [holder.pubkey])
    let answers = BlockingQueue<Result<StoreOutcome, EventStoreError>>()
    // A first batch of one blocks the writer; the two events stored meanwhile wait in the queue
    // and are therefore taken as one batch next (two separate `store` calls on an idle writer
    // could land in two batches).
    let gate = Events.make(createdAt: 2, kind: 10002)
    store.store(gate) { answers.push($0) }
    let first = try #require(try Self.writerWaitingForLock(store), "the writer never waited for the address row")
    let regular = Events.make(kind: 1)
    let newer = Events.make(createdAt: 3, kind: 10002)
    store.store(regular) { answers.push($0) }
    store.store(newer) { answers.push($0) }
    try Self.terminate(first)
    #expect(throws: EventStoreError.self) { try answers.pop()!.get() }
    // The second batch runs on a new connection: the regular event is written first (sorted by
    // lock key), then the writer waits for the address row again, and its connection is cut.
    let second = try #require(
      try Self.writerWaitingForLock(store, not: first), "the second batch never waited for the address row")
    try Self.terminate(second)
    for _ in 0..<2 {
      #expect {
        try answers.pop()!.get()
      } throws: { ($0 as? EventStoreError)?.code == "unavailable" }
    }
    try blocker.execute("ROLLBACK")
    #expect(try store.event(id: regular.id) == nil, "part of a failed batch was stored")
    #expect(try store.event(id: newer.id) == nil)
    #expect(try store.event(id: gate.id) == nil)
    #expect(try store.store(newer) == .stored)
    #expect(try store.query([NostrFilter(kinds: [10002])]).map(\.id) == [newer.id])
  }

  @Test("open: a URL that is not postgres:// or postgresql://, or that libpq cannot parse, is refused")
  func invalidURL() {
    for url in ["mysql://u:secretpw@h/db", "postgres.example.com", "postgresql://u:secretpw@h/db?nonsense=1", ""] {
      #expect {
        try PostgresEventStore(url: url)
      } throws: { error in
        guard let error = error as? PostgresOpenError else { return false }
        return error.code == "invalid_url" && error.description.hasPrefix("ERROR: DATABASE_URL: ")
          && !error.description.contains("secretpw")
      }
    }
  }

  @Test("open: a user or password holding an @ or / not percent-encoded is refused, never echoed")
  func unencodedCredentials() {
    // libpq ends the credentials at the first @ (or finds none before a /): the rest of the
    // password would become the host, port or database name its messages quote.
    for url in [
      "postgresql://bls:sec@retpw@127.0.0.1:1/db", "postgresql://bls:sec/retpw@127.0.0.1:1/db",
      "postgresql://bls:s?e@retpw@127.0.0.1:1/db", "postgres://bl@retpw:x@127.0.0.1:1/db",
    ] {
      #expect {
        try PostgresEventStore(url: url)
      } throws: { error in
        guard let error = error as? PostgresOpenError else { return false }
        return error.code == "invalid_url" && error.description.contains("%40")
          && !error.description.contains("retpw")
      }
    }
    // Encoded, or in the query string, they are fine (the server is simply not there).
    for url in [
      "postgresql://bls:sec%40ret%2Fpw@127.0.0.1:1/db", "postgresql://127.0.0.1:1/db?user=bls&password=sec@ret/pw",
      "postgresql://bls:p?ss@127.0.0.1:1/db",
    ] {
      #expect {
        try PostgresEventStore(url: url)
      } throws: { ($0 as? PostgresOpenError)?.code == "unreachable" }
    }
  }

  @Test("open: an unreachable server is refused with one line, without the password")
  func unreachable() throws {
    // The cluster's port with no server: a port nobody listens on.
    let url = "postgresql://bls:secretpw@127.0.0.1:1/db?connect_timeout=2"
    #expect {
      try PostgresEventStore(url: url)
    } throws: { error in
      guard let error = error as? PostgresOpenError else { return false }
      return error.code == "unreachable" && !error.description.contains("secretpw")
        && error.description.contains("postgresql://127.0.0.1:1/db") && !error.description.contains("\n")
    }
  }

  @Test("open: a login the server refuses is one line that names neither the user nor the password")
  func refusedLogin() throws {
    // libpq's own reason names the role ("role \"…\" does not exist", "password authentication
    // failed for user \"…\""); the line goes to logs, so the URL's user is taken out of it.
    let role = "nosuchrole\(getpid())"
    let database = String(TestCluster.shared!.createDatabase().split(separator: "/").last!)
    let url = "postgresql://\(role):secretpw@127.0.0.1:\(TestCluster.shared!.port)/\(database)"
    for open in [{ _ = try PostgresEventStore(url: url) }, { _ = try PostgresEventExporter(url: url) }] {
      #expect {
        try open()
      } throws: { error in
        guard let error = error as? PostgresOpenError else { return false }
        return error.code == "unreachable" && !error.description.contains(role)
          && !error.description.contains("secretpw") && error.description.contains("(the URL's user)")
          && error.description.contains("postgresql://127.0.0.1:\(TestCluster.shared!.port)/\(database)")
      }
    }
  }

  @Test("open: a user without the right to create tables is refused, naming the privilege")
  func missingPrivileges() throws {
    let url = TestCluster.shared!.createDatabase()
    let role = "lowly\(getpid())"
    try TestCluster.shared!.admin { db throws(PGError) in
      try db.execute("DO $$ BEGIN CREATE ROLE \(role) LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    }
    let database = String(url.split(separator: "/").last!)
    let lowly = "postgresql://\(role)@127.0.0.1:\(TestCluster.shared!.port)/\(database)"
    #expect {
      try PostgresEventStore(url: lowly)
    } throws: { ($0 as? PostgresOpenError)?.code == "permission" }
  }

  @Test("open: a user with data rights only opens a database its owner migrated, and stores")
  func dataRightsOnly() throws {
    let (owner, url) = try freshStore()
    owner.close()
    let role = "writer\(getpid())"
    try TestCluster.shared!.admin(url) { db throws(PGError) in
      try db.execute("DO $$ BEGIN CREATE ROLE \(role) LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
      try db.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(role)")
    }
    let database = String(url.split(separator: "/").last!)
    let store = try PostgresEventStore(url: "postgresql://\(role)@127.0.0.1:\(TestCluster.shared!.port)/\(database)")
    defer { store.close() }
    #expect(try store.store(Events.make(kind: 10002)) == .stored)
  }

  @Test("open: a schema from a newer release is refused, not guessed at")
  func newerSchema() throws {
    let (store, url) = try freshStore()
    store.close()
    try TestCluster.shared!.admin(url) { db throws(PGError) in
      try db.execute("INSERT INTO bls_schema (version) VALUES (99)")
    }
    #expect {
      try PostgresEventStore(url: url)
    } throws: { ($0 as? PostgresOpenError)?.code == "schema_too_new" }
  }

  @Test("storageDescription names host, port and database, never the user or password")
  func description() throws {
    let url = TestCluster.shared!.createDatabase()
    let withPassword = url.replacingOccurrences(of: "bls@", with: "bls:pw-not-shown@")
    let store = try PostgresEventStore(url: withPassword)
    defer { store.close() }
    let database = String(url.split(separator: "/").last!)
    #expect(store.storageDescription == "postgresql://127.0.0.1:\(TestCluster.shared!.port)/\(database)")
  }
}
