import Foundation

/// `bls-fcgi run` started by a test: nginx on a free loopback port in front of the
/// responder, with a fresh data and runtime directory. Stopped (and killed if need be) on
/// teardown.
final class RunningStack: @unchecked Sendable {
  let port: Int
  let directory: URL
  let dataDirectory: URL
  let runtimeDirectory: URL
  let process: ChildProcess

  /// Starts the stack with `variables` (a profile's env) and waits until it logs "ready".
  init(_ label: String, variables: [String: String], workers: Int = 2, accessLog: Bool = false) throws {
    directory = TestEnvironment.temporaryDirectory(label)
    dataDirectory = directory.appendingPathComponent("data")
    runtimeDirectory = directory.appendingPathComponent("rt")
    try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
    port = TestEnvironment.freePort()
    var environment = variables
    environment["BLS_PORT"] = String(port)
    environment["DATA_DIR"] = dataDirectory.path
    if !accessLog { environment["BLS_ACCESS_LOG"] = "off" }
    process = try ChildProcess(
      TestEnvironment.binary,
      ["run", "--listen-address", "127.0.0.1", "--runtime-dir", runtimeDirectory.path, "--workers", String(workers)],
      environment: TestEnvironment.childEnvironment(environment), logDirectory: directory, name: "run")
    let ready = ChildProcess.waitUntil(seconds: 20) { [process] in
      process.stderr.contains("ready: ") || !process.isRunning
    }
    guard ready, process.isRunning else {
      throw HTTPClientError(description: "bls-fcgi run did not become ready: \(process.stderr)")
    }
  }

  deinit {
    process.kill()
    try? FileManager.default.removeItem(at: directory)
  }

  /// A new keep-alive connection to nginx.
  func connect() throws -> HTTPConnection { try HTTPConnection(port: port) }

  /// The pid the supervisor logged for `name` (`nginx` or `responder`).
  func childPID(_ name: String) -> Int32? {
    guard let line = process.stderr.split(separator: "\n").first(where: { $0.contains("ready: ") }),
      let range = line.range(of: "\(name) pid ")
    else { return nil }
    return Int32(line[range.upperBound...].prefix { $0.isNumber })
  }

  /// Event ids in the database, read with the sqlite3 shell.
  func storedEventIDs() throws -> Set<String> {
    let output = Pipe()
    let shell = Process()
    shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    shell.arguments = [dataDirectory.appendingPathComponent("events.db").path, "SELECT id FROM events;"]
    shell.standardOutput = output
    try shell.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    shell.waitUntilExit()
    return Set(String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
  }
}
