/// A transport failure: a socket that cannot be opened, a thread that cannot start.
public struct FastCGIError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Stable machine-readable code, e.g. `"socket"`, `"listen"`, `"thread"`, `"init"`.
  public let code: String
  /// One line naming the input and what went wrong.
  public let message: String

  public init(code: String, message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { message }
}
