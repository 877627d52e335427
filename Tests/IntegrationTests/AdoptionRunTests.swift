import BLSTestSupport
import Foundation
import Testing

/// `bls-fcgi run` on a DATA_DIR holding a reference-written events.db: the responder migrates
/// it with its progress in the log, and the stack comes up healthy on the adopted file.
@Suite("run adopts a reference file")
struct AdoptionRunTests {
  @Test("a reference-format events.db: migration logged step by step, then ready and healthy")
  func runAdoptsReferenceFile() throws {
    let directory = TestEnvironment.temporaryDirectory("adopt-run")
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = directory.appendingPathComponent("data")
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    let generator = try ChildProcess(
      "/bin/bash",
      [
        TestEnvironment.repositoryRoot.appendingPathComponent("bench/reference-db.sh").path, "5000",
        data.appendingPathComponent("events.db").path,
      ], environment: ProcessInfo.processInfo.environment, logDirectory: directory, name: "generator")
    #expect(generator.waitForExit(seconds: 60) == 0, "\(generator.stderr)")

    var variables = PaymentCase.environment(profile: "defaults")
    let port = TestEnvironment.freePort()
    variables["BLS_PORT"] = String(port)
    variables["DATA_DIR"] = data.path
    variables["BLS_ACCESS_LOG"] = "off"
    let runtime = directory.appendingPathComponent("rt").path
    let run = try ChildProcess(
      TestEnvironment.binary, ["run", "--listen-address", "127.0.0.1", "--runtime-dir", runtime],
      environment: TestEnvironment.childEnvironment(variables), logDirectory: directory, name: "run")
    defer { run.kill() }
    let ready = ChildProcess.waitUntil(seconds: 60) { run.stderr.contains("ready: ") || !run.isRunning }
    #expect(ready && run.isRunning, "\(run.stderr)")
    let log = run.stderr
    #expect(log.contains("migrating events.db (5,000 rows) to the current schema"), "\(log)")
    #expect(log.contains("migration step 3/6: indexing tags"))
    #expect(log.contains("migration finished in"))
    #expect(!log.contains("timed out"))
    // The progress file the supervisor watched holds the end of the migration.
    let progress = try String(contentsOfFile: runtime + "/responder.progress", encoding: .utf8)
    #expect(progress == "finished\n")

    let connection = try HTTPConnection(port: port)
    let health = try connection.request("GET", "/health")
    #expect(health.status == 200)
    #expect(health.text.contains("\"status\":\"healthy\"") || health.text.contains("healthy"), "\(health.text)")
    run.signal(SIGTERM)
    #expect(run.waitForExit(seconds: 15) == 0)
  }
}
