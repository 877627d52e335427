import Glibc

/// A failed system call or a broken limit, as one line: `strerror`'s text for an `errno`
/// (`"No such file or directory"`), or the rule that was broken (`"not valid UTF-8"`).
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
  public let reason: String

  public init(reason: String) { self.reason = reason }

  /// The calling thread's current `errno`, described.
  public static var errno: SystemError { SystemError(reason: String(cString: strerror(Glibc.errno))) }

  public var description: String { reason }
}
