import Foundation

/// Runs the built `bls-fcgi` with arguments and stdin; captures stdout, stderr, exit status.
struct CLIRunner {
  struct Result {
    var status: Int32
    var stdout: Data
    var stderr: String
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
  }

  /// `$BLS_FCGI_BINARY`, else the `bls-fcgi` built beside this test bundle.
  static let binary: String = {
    if let path = ProcessInfo.processInfo.environment["BLS_FCGI_BINARY"] { return path }
    var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("bls-fcgi").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      directory.deleteLastPathComponent()
    }
    fatalError("bls-fcgi not found: run `swift build --build-tests` first or set BLS_FCGI_BINARY")
  }()

  /// Runs `executable` (bls-fcgi unless given: a wrapper such as GNU time gets bls-fcgi in
  /// its arguments).
  static func run(
    _ arguments: [String], stdin: Data = Data(), environment: [String: String] = [:], executable: String = binary
  ) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Write stdin and drain both pipes concurrently so large outputs cannot deadlock.
    let group = DispatchGroup()
    nonisolated(unsafe) var out = Data()
    nonisolated(unsafe) var err = Data()
    DispatchQueue.global().async(group: group) { out = output.fileHandleForReading.readDataToEndOfFile() }
    DispatchQueue.global().async(group: group) { err = errors.fileHandleForReading.readDataToEndOfFile() }
    input.fileHandleForWriting.write(stdin)
    try input.fileHandleForWriting.close()
    group.wait()
    process.waitUntilExit()
    return Result(status: process.terminationStatus, stdout: out, stderr: String(decoding: err, as: UTF8.self))
  }
}
