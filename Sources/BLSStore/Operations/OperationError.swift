/// Why an operator's command on a database file (backup, export, import) failed: a stable
/// `code` and one line to print.
public struct OperationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// `database_missing`, `destination_exists`, `sqlite`, `integrity`, `io`.
  public let code: String
  public let message: String

  public init(code: String, message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { message }

  init(_ error: SQLiteError, _ what: String) {
    self.init(code: "sqlite", message: "\(what): \(error.detail)")
  }
}
