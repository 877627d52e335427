import BLSTestSupport
import Foundation

/// `bls-fcgi serve` on a unix socket (or other listener arguments), started by a test with a
/// profile's environment and a fresh DATA_DIR; killed on teardown.
final class ServingResponder: @unchecked Sendable {
  let directory: URL
  let socketPath: String
  let process: ChildProcess

  /// - Parameters:
  ///   - listener: listener options instead of `--socket <directory>/s.sock`.
  ///   - options: further options (`--workers 1`, …).
  init(
    _ label: String, listener: [String]? = nil, options: [String] = [], profile: String = "defaults",
    variables extra: [String: String] = [:], waitForSocket: Bool = true
  ) throws {
    directory = TestEnvironment.temporaryDirectory(label)
    socketPath = directory.appendingPathComponent("s.sock").path
    var variables = PaymentCase.environment(profile: profile)
    variables["DATA_DIR"] = directory.path
    variables.merge(extra) { _, new in new }
    process = try ChildProcess(
      TestEnvironment.binary, ["serve"] + (listener ?? ["--socket", socketPath]) + options,
      environment: TestEnvironment.childEnvironment(variables), logDirectory: directory, name: "serve")
    if waitForSocket {
      let ready = ChildProcess.waitUntil(seconds: 10) { [process] in
        process.stderr.contains("serving on") || !process.isRunning
      }
      guard ready, process.isRunning else {
        throw HTTPClientError(description: "serve did not start: \(process.stderr)")
      }
    }
  }

  deinit {
    process.kill()
    try? FileManager.default.removeItem(at: directory)
  }

  func connect() throws -> FastCGIClient { try FastCGIClient(socket: socketPath) }

  /// Event ids stored in DATA_DIR/events.db (read with the sqlite3 shell).
  func storedEventIDs() throws -> Set<String> {
    let output = Pipe()
    let shell = Process()
    shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    shell.arguments = [directory.appendingPathComponent("events.db").path, "SELECT id FROM events;"]
    shell.standardOutput = output
    try shell.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    shell.waitUntilExit()
    return Set(String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
  }
}
