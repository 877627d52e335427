import BLSTestSupport
import Foundation
import JSON
import Nostr
import Testing

/// Moving events between SQLite and PostgreSQL as an operator does it: the built bls-fcgi's
/// `copy`, and `export`/`import` with `DATABASE_URL`, on real files and a throw-away cluster.
@Suite(
  "bls-fcgi copy, and export/import with DATABASE_URL",
  .enabled(if: PostgresCluster.binariesPresent, Comment(rawValue: PostgresCluster.unavailableReason)))
struct BackendMoveCommandTests {
  /// Runs bls-fcgi with only the given variables of BLS's own (DATA_DIR points at an empty
  /// directory unless given, so nothing falls back to /data).
  static func run(_ arguments: [String], _ variables: [String: String] = [:], stdin: String = "") throws
    -> CLIRunner.Result
  {
    var environment = [
      "NODE_ID": "", "NOSTR_SECRET_KEY": "", "ILP_ADDRESS": "", "DATABASE_URL": "", "DATABASE_URL_FILE": "",
      "DATA_DIR_FILE": "", "BLS_PROGRESS_SECONDS": "", "DATA_DIR": "/nonexistent-bls-data",
    ]
    environment.merge(variables) { $1 }
    return try CLIRunner.run(arguments, stdin: Data(stdin.utf8), environment: environment)
  }

  /// The sorted lines of an export.
  static func exported(_ variables: [String: String]) throws -> [String] {
    let result = try run(["export"], variables)
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdoutText.split(separator: "\n").map(String.init).sorted()
  }

  static func cluster() throws -> (PostgresCluster, url: String, database: String) {
    let cluster = try #require(PostgresCluster.shared)
    let url = cluster.createDatabase()
    return (cluster, url, String(url.split(separator: "/").last!))
  }

  /// Events of every storage class, with what a backend could spoil: U+0000, quotes,
  /// backslashes, non-ASCII, long tags, a later NIP-40 expiration.
  static func variedEvents(key: SecretKey = .generate()) -> [NostrEvent] {
    var events: [NostrEvent] = []
    for index in 0..<40 {
      events.append(
        .signed(
          secretKey: key, createdAt: Int64(1_700_000_000 + index), kind: 1,
          tags: [["t", "move"], ["e", String(repeating: "ab", count: 32)], ["r", "wss://relay\(index % 3)/ü"]],
          content: "note \(index) \"q\" \\ ✓ 🎉"))
    }
    events.append(.signed(secretKey: key, createdAt: 1_700_000_100, kind: 1, content: "nul \u{0} inside"))
    events.append(
      .signed(
        secretKey: key, createdAt: 1_700_000_101, kind: 1, tags: [["x", String(repeating: "v", count: 5000)]],
        content: ""))
    events.append(
      .signed(
        secretKey: key, createdAt: 1_700_000_102, kind: 1, tags: [["expiration", "4102444800"]], content: "later"))
    events.append(.signed(secretKey: key, createdAt: 1_700_000_103, kind: 0, content: "{\"name\":\"v1\"}"))
    events.append(
      .signed(secretKey: key, createdAt: 1_700_000_104, kind: 10002, tags: [["r", "wss://a"]], content: ""))
    events.append(
      .signed(secretKey: key, createdAt: 1_700_000_105, kind: 30023, tags: [["d", "a"]], content: "article a"))
    events.append(
      .signed(secretKey: key, createdAt: 1_700_000_106, kind: 30023, tags: [["d", "b"]], content: "article b"))
    return events
  }

  static func jsonLines(_ events: [NostrEvent]) -> String {
    events.map { $0.jsonValue.serialized + "\n" }.joined()
  }

  @Test("SQLite → PostgreSQL → SQLite keeps exactly the same events, byte for byte; copying again stores nothing")
  func roundTrip() throws {
    let first = try OperationsCommandTests.directory("move-first")
    let second = try OperationsCommandTests.directory("move-second")
    defer {
      try? FileManager.default.removeItem(atPath: first)
      try? FileManager.default.removeItem(atPath: second)
    }
    let (cluster, url, database) = try Self.cluster()
    let events = Self.variedEvents()
    let imported = try Self.run(["import"], ["DATA_DIR": first], stdin: Self.jsonLines(events))
    #expect(imported.status == 0, "\(imported.stderr)")
    let original = try Self.exported(["DATA_DIR": first])
    #expect(original == events.map(\.jsonValue.serialized).sorted())

    let there = try Self.run(["copy", "--from", "sqlite:\(first)", "--to", url])
    #expect(there.status == 0, "\(there.stderr)")
    #expect(
      there.stderr.contains(
        "copy: read \(events.count) events from sqlite:\(first)/events.db into postgresql://127.0.0.1:\(cluster.port)/\(database): stored \(events.count), duplicate 0, superseded 0, invalid 0, expired 0 in"
      ), "\(there.stderr)")
    #expect(cluster.psql(database, "SELECT count(*) FROM events") == ["\(events.count)"])
    #expect(try Self.exported(["DATABASE_URL": url]) == original, "export with DATABASE_URL reads what was copied")

    let back = try Self.run(["copy", "--from", url, "--to", "sqlite:\(second)"])
    #expect(back.status == 0, "\(back.stderr)")
    #expect(back.stderr.contains("stored \(events.count), duplicate 0"), "\(back.stderr)")
    #expect(try Self.exported(["DATA_DIR": second]) == original)

    let again = try Self.run(["copy", "--from", "sqlite:\(first)", "--to", url])
    #expect(again.status == 0)
    #expect(again.stderr.contains("stored 0, duplicate \(events.count), superseded 0"), "\(again.stderr)")
  }

  @Test("export → import with DATABASE_URL: a PostgreSQL database moved through a file, the same events")
  func throughFile() throws {
    let (_, source, _) = try Self.cluster()
    let (_, target, _) = try Self.cluster()
    let events = Self.variedEvents()
    let imported = try Self.run(["import", "-"], ["DATABASE_URL": source], stdin: Self.jsonLines(events))
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stderr.contains("stored \(events.count), duplicate 0"), "\(imported.stderr)")
    let file = try OperationsCommandTests.directory("move-file") + "/events.jsonl"
    defer { try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent) }
    let exported = try Self.run(["export", "--output", file], ["DATABASE_URL": source])
    #expect(exported.status == 0, "\(exported.stderr)")
    let again = try Self.run(["import", file], ["DATABASE_URL": target])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try Self.exported(["DATABASE_URL": target]) == events.map(\.jsonValue.serialized).sorted())
  }

  @Test("replaceable and addressable events resolve by NIP-01 in both directions")
  func replaceables() throws {
    let data = try OperationsCommandTests.directory("move-replace")
    defer { try? FileManager.default.removeItem(atPath: data) }
    let (cluster, url, database) = try Self.cluster()
    let key = SecretKey.generate()
    let profileOld = NostrEvent.signed(secretKey: key, createdAt: 100, kind: 0, content: "old")
    let profileNew = NostrEvent.signed(secretKey: key, createdAt: 200, kind: 0, content: "new")
    let articleOld = NostrEvent.signed(secretKey: key, createdAt: 100, kind: 30023, tags: [["d", "x"]], content: "v1")
    let articleNew = NostrEvent.signed(secretKey: key, createdAt: 200, kind: 30023, tags: [["d", "x"]], content: "v2")
    // PostgreSQL holds the newer profile and the older article; SQLite the opposite.
    let intoPG = try Self.run(["import"], ["DATABASE_URL": url], stdin: Self.jsonLines([profileNew, articleOld]))
    #expect(intoPG.status == 0, "\(intoPG.stderr)")
    let intoSQLite = try Self.run(["import"], ["DATA_DIR": data], stdin: Self.jsonLines([profileOld, articleNew]))
    #expect(intoSQLite.status == 0, "\(intoSQLite.stderr)")

    let toPG = try Self.run(["copy", "--from", "sqlite:\(data)", "--to", url])
    #expect(toPG.status == 0, "\(toPG.stderr)")
    #expect(toPG.stderr.contains("read 2 events"), "\(toPG.stderr)")
    #expect(toPG.stderr.contains("stored 1, duplicate 0, superseded 1"), "\(toPG.stderr)")
    let newest = [profileNew, articleNew].map(\.jsonValue.serialized).sorted()
    #expect(try Self.exported(["DATABASE_URL": url]) == newest)
    #expect(cluster.psql(database, "SELECT count(*) FROM event_addresses") == ["2"])

    let toSQLite = try Self.run(["copy", "--from", url, "--to", "sqlite:\(data)"])
    #expect(toSQLite.status == 0, "\(toSQLite.stderr)")
    #expect(toSQLite.stderr.contains("stored 1, duplicate 1, superseded 0"), "\(toSQLite.stderr)")
    #expect(try Self.exported(["DATA_DIR": data]) == newest)
  }

  @Test("an expired event is never written: left out of a copy, counted expired on import")
  func expired() throws {
    let data = try OperationsCommandTests.directory("move-expired")
    defer { try? FileManager.default.removeItem(atPath: data) }
    let (cluster, url, database) = try Self.cluster()
    let key = SecretKey.generate()
    let gone = NostrEvent.signed(secretKey: key, createdAt: 100, kind: 1, tags: [["expiration", "1000"]], content: "x")
    let kept = NostrEvent.signed(secretKey: key, createdAt: 100, kind: 1, content: "y")
    let imported = try Self.run(["import"], ["DATABASE_URL": url], stdin: Self.jsonLines([gone, kept]))
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stderr.contains("stored 1, duplicate 0, superseded 0, invalid 0, expired 1"), "\(imported.stderr)")
    // A row another program wrote, or that expired after it was stored: the copy leaves it out.
    let tags = JSONValue.array(gone.tags.map { .array($0.map(JSONValue.string)) }).serialized
    _ = cluster.psql(
      database,
      """
      INSERT INTO events (id, pubkey, kind, content, tags, created_at, sig, received_at) \
      VALUES ('\(gone.id)', '\(gone.pubkey)', 1, 'x', '\(tags)', 100, '\(gone.sig)', 0)
      """)
    let copied = try Self.run(["copy", "--from", url, "--to", "sqlite:\(data)"])
    #expect(copied.status == 0, "\(copied.stderr)")
    #expect(copied.stderr.contains("read 2 events"), "\(copied.stderr)")
    #expect(copied.stderr.contains("stored 1, duplicate 0, superseded 0, invalid 0, expired 1"), "\(copied.stderr)")
    #expect(try Self.exported(["DATA_DIR": data]) == [kept.jsonValue.serialized])
  }

  /// A PostgreSQL database as the first release with PostgreSQL left it (BLSPostgres's
  /// `PGSchema.version1`, the tables a migration reads).
  static let version1 = """
    CREATE TABLE bls_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
    INSERT INTO bls_schema (version) VALUES (1);
    CREATE TABLE events (
      id text COLLATE "C" PRIMARY KEY, pubkey text COLLATE "C" NOT NULL, kind integer NOT NULL,
      content text NOT NULL, tags text NOT NULL, created_at bigint NOT NULL, sig text NOT NULL,
      received_at bigint NOT NULL, content_json text);
    CREATE TABLE event_tags (
      name text COLLATE "C" NOT NULL, value text COLLATE "C" NOT NULL, created_at bigint NOT NULL,
      event_id text COLLATE "C" NOT NULL REFERENCES events (id) ON DELETE CASCADE);
    CREATE TABLE event_addresses (
      pubkey text COLLATE "C" NOT NULL, kind integer NOT NULL, d_sha256 text COLLATE "C" NOT NULL,
      d text COLLATE "C" NOT NULL, event_id text COLLATE "C" NOT NULL, PRIMARY KEY (pubkey, kind, d_sha256));
    """

  @Test(
    "a version 1 PostgreSQL database with many large deletions migrates in bounded memory",
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "needs GNU time for the peak RSS"))
  func migrationMemory() throws {
    let (cluster, url, database) = try Self.cluster()
    // 2400 kind-5 events of 20 kB of tags each, 48 MB: more than the migration may hold at once.
    let made = cluster.psql(
      database,
      """
      \(Self.version1)
      INSERT INTO events SELECT md5(i::text) || md5((i + 1)::text), repeat('a1', 32), 5, '',
        '[["e","' || repeat('ab', 10000) || '"]]', 100, repeat('00', 64), 0, NULL
        FROM generate_series(1, 2400) AS i;
      """)
    #expect(made.last == "INSERT 0 2400", "\(made)")
    // `import` with nothing to read opens the database, which migrates it to the current version.
    let result = try CLIRunner.run(
      ["-f", "peak_rss_kb=%M", CLIRunner.binary, "import", "-"], environment: ["DATABASE_URL": url],
      executable: "/usr/bin/time")
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stderr.split(separator: "\n")
    let peak = lines.compactMap { $0.split(separator: "=").last.flatMap { Int($0) } }.last
    // Without paging, every deletion's tags were kept until the end: 95 MB and more.
    #expect(try #require(peak, "\(result.stderr)") < 60_000, "peak RSS \(peak ?? 0) kB")
    #expect(cluster.psql(database, "SELECT max(version) FROM bls_schema").last == "2")
  }

  @Test("progress: log lines with count and total when standard error is not a terminal")
  func progress() throws {
    let data = try OperationsCommandTests.directory("move-progress")
    defer { try? FileManager.default.removeItem(atPath: data) }
    let (_, url, _) = try Self.cluster()
    let lines = OperationsCommandTests.signedLines(600).joined(separator: "\n")
    let everyStep = ["BLS_PROGRESS_SECONDS": "0"]
    let imported = try Self.run(["import"], everyStep.merging(["DATABASE_URL": url]) { $1 }, stdin: lines)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stderr.contains("import: 256 lines, "), "\(imported.stderr)")

    let copied = try Self.run(["copy", "--from", url, "--to", "sqlite:\(data)"], everyStep)
    #expect(copied.status == 0, "\(copied.stderr)")
    // 600 signed lines, every tenth the same replaceable address: 541 stay.
    #expect(copied.stderr.contains("copy: 256/541 events (47%), "), "\(copied.stderr)")
    #expect(copied.stderr.contains("copy: 512/541 events (94%), "), "\(copied.stderr)")
    #expect(!copied.stderr.contains("\r"), "no bar drawn off a terminal")
  }

  @Test("bad locations: exit 1, one line naming the option or variable, never the password")
  func badLocations() throws {
    let data = try OperationsCommandTests.directory("move-bad")
    defer { try? FileManager.default.removeItem(atPath: data) }
    let (cluster, empty, emptyName) = try Self.cluster()
    let port = LoopbackPort.free()
    let secret = "s3cret-\(UUID().uuidString.prefix(6))"
    let withPassword = empty.replacingOccurrences(of: "bls@", with: "bls:\(secret)@")
    let one = OperationsCommandTests.signedLines(1)[0]
    #expect(try Self.run(["import"], ["DATA_DIR": data], stdin: one).status == 0)
    let cases: [(arguments: [String], variables: [String: String], expected: String)] = [
      (
        ["copy", "--from", "sqlite:\(data)/missing", "--to", "postgresql://bls:\(secret)@127.0.0.1:\(cluster.port)/x"],
        [:], "ERROR: --from: \(data)/missing does not exist"
      ),
      (
        ["copy", "--from", "sqlite:\(data)", "--to", "postgresql://bls:\(secret)@127.0.0.1:\(cluster.port)/nosuchdb"],
        [:], "ERROR: --to: cannot connect to postgresql://127.0.0.1:\(cluster.port)/nosuchdb: "
      ),
      (
        ["copy", "--from", withPassword, "--to", "sqlite:\(data)"], [:],
        "ERROR: --from: postgresql://127.0.0.1:\(cluster.port)/\(emptyName) has no events table"
      ),
      (
        ["copy", "--from", "mysql://root:\(secret)@db/x", "--to", "sqlite:\(data)"], [:],
        "ERROR: --from: must be sqlite:PATH"
      ),
      (
        ["copy", "--from", "sqlite:\(data)", "--to", "postgresql://bls:\(secret)@[::1"], [:],
        "ERROR: --to: is not a valid libpq connection URI"
      ),
      (
        ["copy", "--from", "sqlite:\(data)", "--to", "sqlite:/etc/hostname"], [:],
        "ERROR: --to: /etc/hostname is a file; give the data directory"
      ),
      (
        ["export"], ["DATABASE_URL": "postgresql://bls:\(secret)@127.0.0.1:\(port)/x"],
        "ERROR: DATABASE_URL: cannot connect to postgresql://127.0.0.1:\(port)/x: "
      ),
      (["import"], ["DATABASE_URL": "mysql://root:\(secret)@db/x"], "ERROR: DATABASE_URL: must be a libpq"),
      (
        // An @ not percent-encoded: libpq would take what follows it for the host, and quote it.
        ["export"], ["DATABASE_URL": "postgresql://bls:p@\(secret)@127.0.0.1:\(port)/x"],
        "ERROR: DATABASE_URL: holds an @ or / in its user or password"
      ),
      (["copy", "--to", "sqlite:\(data)"], [:], "ERROR: DATA_DIR: /nonexistent-bls-data/events.db does not exist"),
      (["copy"], [:], "ERROR: copy: give --from, --to or both"),
    ]
    for (arguments, variables, expected) in cases {
      let result = try Self.run(arguments, variables)
      let described = "\(arguments) \(variables) → \(result.status) \(result.stderr)"
      #expect(result.status == 1, "\(described)")
      #expect(result.stderr.hasPrefix(expected), "\(described)")
      #expect(result.stderr.split(separator: "\n").count == 1, "\(described)")
      #expect(!result.stderr.contains(secret), "\(described)")
      #expect(result.stdout.isEmpty, "\(described)")
    }
  }

  @Test("backup with DATABASE_URL refuses (the server's events are not in DATA_DIR): exit 1, one line, no file")
  func backupRefusedOnPostgreSQL() throws {
    let (_, url, _) = try Self.cluster()
    let directory = try OperationsCommandTests.directory("backup-pg")
    let target = directory + "/copy.db"
    let result = try Self.run(["backup", "--to", target], ["DATABASE_URL": url, "DATA_DIR": directory])
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("ERROR: backup: DATABASE_URL is set"), "\(result.stderr)")
    #expect(result.stderr.contains("pg_dump") && result.stderr.split(separator: "\n").count == 1)
    #expect(!FileManager.default.fileExists(atPath: target))
  }

  @Test("migrate with DATABASE_URL migrates that PostgreSQL database (and says so), not DATA_DIR's file")
  func migratePostgreSQL() throws {
    let (cluster, url, database) = try Self.cluster()
    let directory = try OperationsCommandTests.directory("migrate-pg")
    let described = "postgresql://127.0.0.1:\(cluster.port)/\(database)"
    let first = try Self.run(["migrate"], ["DATABASE_URL": url, "DATA_DIR": directory])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stderr.contains("migrate: \(described) created"), "\(first.stderr)")
    #expect(cluster.psql(database, "SELECT count(*) FROM events") == ["0"])
    #expect(!FileManager.default.fileExists(atPath: directory + "/events.db"))
    let again = try Self.run(["migrate"], ["DATABASE_URL": url, "DATA_DIR": directory])
    #expect(again.status == 0)
    #expect(again.stderr.contains("migrate: \(described) was at schema version"), "\(again.stderr)")
  }
}
