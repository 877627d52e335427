/// How a child process ended, from a `waitpid` status (POSIX `WIFEXITED`, `WEXITSTATUS`,
/// `WIFSIGNALED`, `WTERMSIG`, with Linux's encoding).
public struct ChildExit: Sendable, Equatable, CustomStringConvertible {
  /// The raw `waitpid` status.
  public let status: Int32

  public init(status: Int32) { self.status = status }

  /// The exit code when it exited normally.
  public var exitCode: Int32? { status & 0x7f == 0 ? (status >> 8) & 0xff : nil }
  /// The signal that killed it.
  public var signal: Int32? { status & 0x7f != 0 && status & 0x7f != 0x7f ? status & 0x7f : nil }
  /// Exited with code 0.
  public var succeeded: Bool { exitCode == 0 }

  public var description: String {
    if let exitCode { return "exited with status \(exitCode)" }
    if let signal { return "was killed by signal \(signal)" }
    return "stopped (status \(status))"
  }
}
