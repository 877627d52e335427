/// Why the PostgreSQL store could not be opened. The server prints ``description`` — one line
/// naming `DATABASE_URL` and the cause, never the password — and exits with status 1.
public struct PostgresOpenError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Stable code: `invalid_url`, `unreachable`, `permission`, `schema_too_new`, `postgres`.
  public let code: String
  /// What is wrong, without the `ERROR: DATABASE_URL:` prefix.
  public let message: String

  public init(code: String, message: String) {
    self.code = code
    self.message = message
  }

  /// `ERROR: DATABASE_URL: <message>` — the line to print before exiting 1.
  public var description: String { "ERROR: DATABASE_URL: \(message)" }

  init(_ error: PGError, doing what: String) {
    if error.sqlState == "42501" {
      self.init(
        code: "permission",
        message:
          "missing privileges \(what): \(error.message); grant the user CREATE on the database (or the schema) and ownership of BLS's tables"
      )
    } else if error.connectionLost {
      self.init(code: "unreachable", message: "lost the connection \(what): \(error.message)")
    } else {
      self.init(code: "postgres", message: "\(what): \(error)")
    }
  }
}
