import Foundation

/// A process started by a test, with its output in files, killed on teardown if still
/// running. Every wait is bounded.
final class ChildProcess: @unchecked Sendable {
  let process = Process()
  let stdoutPath: String
  let stderrPath: String

  init(
    _ executable: String, _ arguments: [String], environment: [String: String], logDirectory: URL,
    name: String
  ) throws {
    stdoutPath = logDirectory.appendingPathComponent("\(name).out").path
    stderrPath = logDirectory.appendingPathComponent("\(name).err").path
    FileManager.default.createFile(atPath: stdoutPath, contents: nil)
    FileManager.default.createFile(atPath: stderrPath, contents: nil)
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
    process.standardError = FileHandle(forWritingAtPath: stderrPath)
    try process.run()
  }

  deinit { kill() }

  var pid: Int32 { process.processIdentifier }
  var isRunning: Bool { process.isRunning }
  var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
  var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

  func signal(_ signal: Int32) { _ = Glibc.kill(pid, signal) }

  /// SIGKILL if still running, then reap.
  func kill() {
    if process.isRunning {
      signal(SIGKILL)
      _ = waitForExit(seconds: 5)
    }
  }

  /// The exit status once the process ends within `seconds`, else nil. A death by signal is
  /// reported as 128 + the signal number.
  func waitForExit(seconds: Double) -> Int32? {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning {
      if Date() > deadline { return nil }
      usleep(5000)
    }
    return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
  }

  /// Waits until `condition` holds, up to `seconds`; false on timeout.
  static func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
      if Date() > deadline { return false }
      usleep(5000)
    }
    return true
  }
}
