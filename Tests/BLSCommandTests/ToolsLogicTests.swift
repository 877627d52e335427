import BLSStore
import Foundation
import Testing

@testable import bls_fcgi

@Suite("bls-fcgi tools: progress text, line reader, start-up watch")
struct ToolsLogicTests {
  /// A fresh directory; removed by the caller.
  static func directory(_ label: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "bls-\(label)-\(UUID().uuidString.prefix(8))"
    ).path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  @Test("progress text: count, total, percentage, rate and ETA")
  func progressText() {
    let text = Progress.describe(
      label: "export", unit: "events", done: 250_000, total: 1_000_000, elapsedMilliseconds: 5000)
    #expect(text == "export: 250,000/1,000,000 events (25%), 50,000/s, ETA 15 s")
    #expect(
      Progress.describe(label: "import", unit: "lines", done: 12, total: nil, elapsedMilliseconds: 1000)
        == "import: 12 lines, 12/s")
    #expect(Progress.grouped(0) == "0" && Progress.grouped(999) == "999" && Progress.grouped(1000) == "1,000")
    #expect(Progress.duration(59) == "59 s" && Progress.duration(185) == "3 min 05 s")
    #expect(Progress.duration(3720) == "1 h 02 min")
  }

  @Test("progress log interval: BLS_PROGRESS_SECONDS in seconds, 0 for every step; anything else the default")
  func progressInterval() {
    #expect(Progress.logInterval(nil) == 5000 && Progress.logInterval("") == 5000)
    #expect(Progress.logInterval("0") == 0 && Progress.logInterval("30") == 30_000)
    #expect(Progress.logInterval("86400") == 86_400_000)
    for bad in ["-1", "1.5", " 3", "86401", "999999999999999999999", "x"] {
      #expect(Progress.logInterval(bad) == 5000, "\(bad)")
    }
  }

  @Test("database locations: sqlite:PATH and libpq URIs; anything else refused without repeating it")
  func databaseLocations() throws {
    #expect(try EventDatabase.parse("sqlite:/data") == .sqlite("/data"))
    #expect(try EventDatabase.parse("sqlite:backup.db") == .sqlite("backup.db"))
    #expect(try EventDatabase.parse("postgres://u:p@h/db") == .postgres("postgres://u:p@h/db"))
    #expect(try EventDatabase.parse("postgresql:///db?host=/run/pg") == .postgres("postgresql:///db?host=/run/pg"))
    for bad in ["sqlite:", "sqlite::memory:", "/data", "mysql://root:hunter2@db/x", "PostgreSQL://u:hunter2@h/db"] {
      #expect {
        _ = try EventDatabase.parse(bad)
      } throws: { error in
        guard let refusal = error as? EventDatabase.Refusal else { return false }
        return !refusal.reason.contains("hunter2") && !refusal.reason.contains("\n")
      }
    }
    // A data directory is read as its events.db and written as itself; a path naming
    // events.db is written into its directory; any other existing file is not written.
    let directory = FileManager.default.temporaryDirectory.path
    #expect(EventDatabase.databaseFile(directory) == directory + "/events.db")
    #expect(EventDatabase.databaseFile("/etc/hostname") == "/etc/hostname")
    #expect(EventDatabase.dataDirectory(directory) == directory)
    #expect(EventDatabase.dataDirectory("/srv/bls/events.db") == "/srv/bls")
    #expect(EventDatabase.dataDirectory("events.db") == ".")
    #expect(EventDatabase.dataDirectory("/nonexistent-bls") == "/nonexistent-bls")
    #expect(EventDatabase.dataDirectory("/etc/hostname") == nil)
  }

  /// The lines a reader returns for `input`, read through a pipe in small writes.
  func lines(_ input: String, maxBytes: Int) throws -> [String] {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    let bytes = Array(input.utf8)
    let writeEnd = fds[1]
    let writer = Thread {
      var offset = 0
      while offset < bytes.count {
        let count = min(7, bytes.count - offset)
        _ = bytes[offset..<offset + count].withUnsafeBytes { write(writeEnd, $0.baseAddress, count) }
        offset += count
      }
      close(writeEnd)
    }
    writer.start()
    var reader = LineReader(fd: fds[0], maxBytes: maxBytes)
    var result: [String] = []
    while let line = try reader.next() {
      switch line {
      case .text(let text): result.append("\(reader.number):" + String(decoding: text, as: UTF8.self))
      case .overlong: result.append("\(reader.number):OVERLONG")
      }
    }
    close(fds[0])
    return result
  }

  @Test("line reader: CRLF, a last line without newline, empty lines, overlong lines skipped whole")
  func lineReader() throws {
    let long = String(repeating: "x", count: 40)
    #expect(
      try lines("a\r\nbb\n\n\(long)\nccc\n\(long)", maxBytes: 16) == [
        "1:a", "2:bb", "3:", "4:OVERLONG", "5:ccc", "6:OVERLONG",
      ])
    #expect(try lines("", maxBytes: 16).isEmpty)
    #expect(try lines("one\n", maxBytes: 16) == ["1:one"])
    #expect(
      try lines(String(repeating: "y", count: 16) + "\n", maxBytes: 16) == ["1:" + String(repeating: "y", count: 16)])
  }

  @Test("start-up watch: the timeout counts from the progress file's last change, not from the start")
  func startupWatch() throws {
    let directory = try Self.directory("watch")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let progress = directory + "/responder.progress"
    try "stale\n".write(toFile: progress, atomically: true, encoding: .utf8)

    let start: Int64 = 1
    let watch = StartupWatch(runtimeDirectory: directory, since: start)
    #expect(!FileManager.default.fileExists(atPath: progress), "a stale file from an earlier run is removed")
    #expect(ProcessInfo.processInfo.environment[MigrationLog.progressFileVariable] == progress)
    // No file: no progress; the timeout counts from the start.
    #expect(watch.lastProgress() == start)

    try "step 1/5 rows 0\n".write(toFile: progress, atomically: true, encoding: .utf8)
    let first = watch.lastProgress()
    #expect(first > start, "a migrating responder's progress moves the timeout's origin")
    // The same content again is no progress: a stuck responder still times out.
    usleep(2000)
    #expect(watch.lastProgress() == first)
    usleep(2000)
    try "step 3/5 rows 1024\n".write(toFile: progress, atomically: true, encoding: .utf8)
    #expect(watch.lastProgress() > first)
  }

  @Test("migration heartbeat: a silent step still rewrites the progress file; it stops once the migration finishes")
  func migrationHeartbeat() throws {
    let directory = try Self.directory("heartbeat")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let file = directory + "/responder.progress"
    let report = MigrationLog.handler(file: file, heartbeatMilliseconds: 50)
    var update = MigrationProgress(
      step: "keying the tag index by row (schema 5)", stepNumber: 1, stepCount: 1, rowsDone: 0, rowsTotal: 10,
      finished: false)
    report(update)
    let first = try String(contentsOfFile: file, encoding: .utf8)
    #expect(first.hasPrefix("step 1/1 rows 0 at "))
    // SQLite says nothing (one long COMMIT, say): the file changes all the same.
    var changes = 0
    var seen = first
    for _ in 0..<40 {
      usleep(20_000)
      let now = try String(contentsOfFile: file, encoding: .utf8)
      if now != seen {
        changes += 1
        seen = now
      }
    }
    #expect(changes >= 3, "the heartbeat rewrote the file \(changes) times in 0.8 s of silence")
    #expect(seen.hasPrefix("step 1/1 rows 0 at "))
    update.finished = true
    report(update)
    #expect(try String(contentsOfFile: file, encoding: .utf8) == "finished\n")
    usleep(300_000)
    #expect(try String(contentsOfFile: file, encoding: .utf8) == "finished\n", "no heartbeat after the end")
  }
}
