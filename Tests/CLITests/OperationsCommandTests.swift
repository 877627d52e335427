import Foundation
import JSON
import Nostr
import Testing

/// backup, export, import and migrate run as an operator runs them: the built bls-fcgi on
/// real files, with only DATA_DIR set.
@Suite("bls-fcgi backup, export, import, migrate")
struct OperationsCommandTests {
  /// A fresh directory; removed by the caller.
  static func directory(_ label: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "bls-ops-\(label)-\(UUID().uuidString.prefix(8))"
    ).path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// NIP-01 JSON lines of validly signed events (notes and one replaceable kind).
  static func signedLines(_ count: Int) -> [String] {
    let key = SecretKey.generate()
    return (0..<count).map { index in
      let event = NostrEvent.signed(
        secretKey: key, createdAt: Int64(1_700_000_000 + index), kind: index % 10 == 0 ? 10002 : 1,
        tags: [["t", "cli"], ["r", "wss://relay\(index % 3)"]], content: "line \(index) \"quoted\" ✓")
      return event.jsonValue.serialized
    }
  }

  static func run(_ arguments: [String], dataDir: String, stdin: String = "") throws -> CLIRunner.Result {
    // Only DATA_DIR: no NODE_ID, no key; the tools need no more.
    try CLIRunner.run(
      arguments, stdin: Data(stdin.utf8),
      environment: ["DATA_DIR": dataDir, "NODE_ID": "", "NOSTR_SECRET_KEY": "", "ILP_ADDRESS": ""])
  }

  @Test(
    "each command has --help",
    arguments: [["backup"], ["export"], ["import"], ["copy"], ["migrate"]])
  func help(_ path: [String]) throws {
    let result = try CLIRunner.run(path + ["--help"])
    #expect(result.status == 0)
    #expect(result.stdoutText.contains("USAGE:") && result.stdoutText.contains("DATA_DIR"))
  }

  @Test("import → export → import into an empty DATA_DIR → export: the same lines; summary counts")
  func roundTrip() throws {
    let first = try Self.directory("first")
    let second = try Self.directory("second")
    defer {
      try? FileManager.default.removeItem(atPath: first)
      try? FileManager.default.removeItem(atPath: second)
    }
    // 10002 is replaceable: each newer one replaces the one before (stored, the older
    // deleted), so 46 of the 50 stay.
    let lines = Self.signedLines(50)
    let imported = try Self.run(["import"], dataDir: first, stdin: lines.joined(separator: "\n") + "\n")
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(
      imported.stderr.contains(
        "imported 50 lines into sqlite:\(first)/events.db: stored 50, duplicate 0, superseded 0, invalid 0, expired 0 in"
      ), "\(imported.stderr)")

    let exportPath = first + "/export.jsonl"
    let exported = try Self.run(["export", "--output", exportPath], dataDir: first)
    #expect(exported.status == 0, "\(exported.stderr)")
    let text = try String(contentsOfFile: exportPath, encoding: .utf8)
    let exportedLines = text.split(separator: "\n").map(String.init)
    #expect(exportedLines.count == 46)
    #expect(Set(exportedLines).isSubset(of: Set(lines)), "export writes the events exactly as signed")

    let again = try Self.run(["import", exportPath], dataDir: second)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stderr.contains("stored 46, duplicate 0, superseded 0, invalid 0"))
    let reexported = try Self.run(["export"], dataDir: second)
    #expect(reexported.status == 0)
    #expect(reexported.stdoutText == text)

    // Importing the same file again: every line a duplicate, still exit 0.
    let twice = try Self.run(["import", "-"], dataDir: second, stdin: text)
    #expect(twice.status == 0)
    #expect(twice.stderr.contains("stored 0, duplicate 46"))
  }

  @Test("a tampered line (bad signature, changed content) is refused: exit 1, named in the summary")
  func tamperedLine() throws {
    let data = try Self.directory("tamper")
    defer { try? FileManager.default.removeItem(atPath: data) }
    var lines = Self.signedLines(5)
    lines[2] = lines[2].replacingOccurrences(of: "line 2", with: "line 9")
    let sig = lines[3].range(of: "\"sig\":\"")!.upperBound
    let flipped = lines[3][sig] == "0" ? "1" : "0"
    lines[3].replaceSubrange(sig...sig, with: flipped)
    let result = try Self.run(["import"], dataDir: data, stdin: lines.joined(separator: "\n"))
    #expect(result.status == 1)
    #expect(result.stderr.contains("stored 3, duplicate 0, superseded 0, invalid 2"), "\(result.stderr)")
    #expect(result.stderr.contains("line 3: id_mismatch"), "\(result.stderr)")
    #expect(result.stderr.contains("line 4: bad_signature"), "\(result.stderr)")
    let exported = try Self.run(["export"], dataDir: data)
    #expect(exported.stdoutText.split(separator: "\n").count == 3)
  }

  @Test("backup: a sound copy, refused over an existing file without --force; restored, it exports the same")
  func backup() throws {
    let data = try Self.directory("backup")
    let restored = try Self.directory("restored")
    defer {
      try? FileManager.default.removeItem(atPath: data)
      try? FileManager.default.removeItem(atPath: restored)
    }
    _ = try Self.run(["import"], dataDir: data, stdin: Self.signedLines(20).joined(separator: "\n"))
    let copy = data + "/copy.db"
    let first = try Self.run(["backup", "--to", copy], dataDir: data)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stderr.contains("integrity_check ok"))
    let refused = try Self.run(["backup", "--to", copy], dataDir: data)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("exists") && refused.stderr.contains("--force"))
    let forced = try Self.run(["backup", "--to", copy, "--force"], dataDir: data)
    #expect(forced.status == 0)

    try FileManager.default.copyItem(atPath: copy, toPath: restored + "/events.db")
    let original = try Self.run(["export"], dataDir: data)
    let fromBackup = try Self.run(["export"], dataDir: restored)
    #expect(fromBackup.status == 0)
    #expect(fromBackup.stdoutText == original.stdoutText)
    #expect(original.stdoutText.split(separator: "\n").count == 19)
  }

  @Test("migrate adopts a reference-format file, logging its steps and row counts")
  func migrateReferenceFile() throws {
    let data = try Self.directory("migrate")
    defer { try? FileManager.default.removeItem(atPath: data) }
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("bench/reference-db.sh").path
    let generator = Process()
    generator.executableURL = URL(fileURLWithPath: "/bin/bash")
    generator.arguments = [script, "3000", data + "/events.db"]
    generator.standardOutput = FileHandle.nullDevice
    try generator.run()
    generator.waitUntilExit()
    #expect(generator.terminationStatus == 0)

    let result = try Self.run(["migrate"], dataDir: data)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("migrating events.db (3,000 rows)"))
    #expect(result.stderr.contains("migration step 3/6: indexing tags"))
    #expect(result.stderr.contains("migration finished in"))
    #expect(result.stderr.contains("3,000 rows read"))
    #expect(result.stderr.contains("adopted from the reference's format"))
    let again = try Self.run(["migrate"], dataDir: data)
    #expect(again.status == 0)
    #expect(again.stderr.contains("now current") && !again.stderr.contains("migrating"))
  }

  @Test("DATA_DIR=:memory: has no file to back up or export: exit 1 with one line")
  func memoryDataDirectory() throws {
    for command in [["backup", "--to", "/tmp/never.db"], ["export"]] {
      let result = try Self.run(command, dataDir: ":memory:")
      #expect(result.status == 1)
      #expect(result.stderr.hasPrefix("ERROR: DATA_DIR: ") && result.stderr.split(separator: "\n").count == 1)
    }
  }

  @Test(
    "while one process writes a DATA_DIR, import and migrate there are refused with one line; export and backup run"
  )
  func oneWriterAtATime() throws {
    let data = try Self.directory("in-use")
    defer { try? FileManager.default.removeItem(atPath: data) }
    let lines = Self.signedLines(12)
    _ = try Self.run(["import"], dataDir: data, stdin: lines.prefix(6).joined(separator: "\n") + "\n")
    // A writer that stays: an import reading a pipe nobody has closed yet.
    let first = Process()
    first.executableURL = URL(fileURLWithPath: CLIRunner.binary)
    first.arguments = ["import", "-"]
    first.environment = ProcessInfo.processInfo.environment.merging(["DATA_DIR": data]) { $1 }
    let input = Pipe()
    first.standardInput = input
    first.standardError = FileHandle.nullDevice
    try first.run()
    defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
    let lock = data + "/events.db-lock"
    var held = false
    for _ in 0..<1000 where !held {
      held = (try? String(contentsOfFile: lock, encoding: .utf8))?.hasPrefix("\(first.processIdentifier) ") == true
      if !held { usleep(10_000) }
    }
    try #require(held, "the first import took the lock")
    for command in [["import"], ["migrate"]] {
      let refused = try Self.run(command, dataDir: data, stdin: lines[6] + "\n")
      #expect(refused.status == 1, "\(command): \(refused.stderr)")
      #expect(
        refused.stderr == "ERROR: DATA_DIR: \(data)/events.db is in use by process \(first.processIdentifier) "
          + "(a running BLS, an import or a migrate); fix: stop it first — or, to read while it runs, use export or backup\n",
        "\(command)")
    }
    let exported = try Self.run(["export"], dataDir: data)
    #expect(exported.status == 0, "\(exported.stderr)")
    #expect(exported.stdoutText.split(separator: "\n").count == 6)
    let backup = try Self.run(["backup", "--to", data + "/copy.db"], dataDir: data)
    #expect(backup.status == 0, "\(backup.stderr)")
    // The first writer finishes; the lock goes with it, and the next import runs.
    input.fileHandleForWriting.write(Data((lines[6..<9].joined(separator: "\n") + "\n").utf8))
    try input.fileHandleForWriting.close()
    first.waitUntilExit()
    #expect(first.terminationStatus == 0)
    let after = try Self.run(["import"], dataDir: data, stdin: lines[9...].joined(separator: "\n") + "\n")
    #expect(after.status == 0, "\(after.stderr)")
    // Line 10 replaces line 0 (both kind 10002 by one author).
    #expect(try Self.run(["export"], dataDir: data).stdoutText.split(separator: "\n").count == 11)
  }
}
