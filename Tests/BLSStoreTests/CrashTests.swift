import BLSTestSupport
import Foundation
import Nostr
import Testing
import Threads

@testable import BLSStore

/// The crash-test child, built alongside the tests (`swift test` builds every product):
/// `$BLS_STORE_TORTURE`, else `bls-store-torture` next to the test executable.
enum TortureBinary {
  static var path: String? {
    if let env = ProcessInfo.processInfo.environment["BLS_STORE_TORTURE"], !env.isEmpty { return env }
    let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var directory = me.deletingLastPathComponent()
    // On Linux the test runner is <build>/debug/<package>PackageTests.xctest.
    for _ in 0..<3 {
      let candidate = directory.appendingPathComponent("bls-store-torture").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    return nil
  }
}

@Suite("Durability: kill -9 at random moments never loses an acknowledged event")
struct CrashTests {
  /// Runs the child for `milliseconds`, SIGKILLs it, returns the ids it acknowledged.
  func runAndKill(_ binary: String, directory: String, threads: Int, milliseconds: Int) throws
    -> (ids: [String], killed: Bool, stderr: String)
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = [directory, String(threads)]
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Drain stdout while the child runs so it never blocks on a full pipe.
    let collected = Locked(Data())
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      let data = output.fileHandleForReading.readDataToEndOfFile()
      collected.withLock { $0 = data }
      done.signal()
    }
    usleep(useconds_t(milliseconds * 1000))
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    done.wait()
    let text = String(decoding: collected.withLock { $0 }, as: UTF8.self)
    // Only complete lines count: each was written with one write(2) after store returned.
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if !text.hasSuffix("\n") { lines.removeLast() }
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return (lines.filter { !$0.isEmpty }, process.terminationReason == .uncaughtSignal, stderr)
  }

  @Test("20 random SIGKILLs of an 8-thread writer: every printed id is present, integrity ok")
  func killNine() throws {
    guard let binary = TortureBinary.path else {
      Issue.record(
        "bls-store-torture not found next to the test executable; build it (swift build) or set BLS_STORE_TORTURE")
      return
    }
    let directory = TemporaryDirectory("crash")
    defer { directory.remove() }
    var acknowledged: [String] = []
    var generator = SystemRandomNumberGenerator()
    for iteration in 0..<20 {
      // Early kills land in open/migration, later ones mid-batch or mid-fsync.
      let delay =
        iteration < 3 ? Int.random(in: 1...15, using: &generator) : Int.random(in: 20...300, using: &generator)
      let run = try runAndKill(binary, directory: directory.path, threads: 8, milliseconds: delay)
      #expect(run.killed, "iteration \(iteration): the child exited by itself: \(run.stderr)")
      #expect(run.ids.allSatisfy { $0.utf8.count == 64 }, "iteration \(iteration): torn line")
      acknowledged += run.ids

      let store = try SQLiteEventStore(dataDirectory: directory.path)
      defer { store.close() }
      #expect(try store.integrityCheck() == ["ok"], "iteration \(iteration)")
      var missing: [String] = []
      for chunk in stride(from: 0, to: acknowledged.count, by: 500) {
        let ids = Array(acknowledged[chunk..<min(chunk + 500, acknowledged.count)])
        let found = Set(try store.query([NostrFilter(ids: ids)]).map(\.id))
        missing += ids.filter { !found.contains($0) }
      }
      #expect(
        missing.isEmpty, "iteration \(iteration) (killed after \(delay) ms): \(missing.count) acknowledged events lost")
    }
    print("crash test: \(acknowledged.count) acknowledged events over 20 kills, none lost")
    #expect(acknowledged.count > 100, "the child acknowledged too little to prove anything")
  }
}
