/// Why the store could not be opened. The server prints ``description`` — one line naming the
/// directory or file, the user id and the fix — and exits with status 1.
public struct StoreOpenError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Stable code: `data_dir_missing`, `data_dir_not_directory`, `data_dir_not_writable`,
  /// `database_not_writable`, `database_in_use`, `not_a_database`, `corrupt`, `schema_too_new`,
  /// `foreign_database`, `incompatible_schema`, `sqlite`.
  public let code: String
  /// What is wrong and how to fix it, without the `ERROR: DATA_DIR:` prefix.
  public let message: String

  public init(code: String, message: String) {
    self.code = code
    self.message = message
  }

  /// `ERROR: DATA_DIR: <message>` — the line to print before exiting 1.
  public var description: String { "ERROR: DATA_DIR: \(message)" }
}
