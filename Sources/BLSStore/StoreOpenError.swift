import Glibc

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

  /// `path` cannot be used by this process's user: the line names the uid, the reason and the
  /// `chown` that fixes it (`andDirectory`: the directory must let that user create files too).
  static func unusable(
    _ path: String, code: String, problem: String = "is not writable", reason: String, andDirectory: Bool = false
  ) -> StoreOpenError {
    let uid = geteuid()
    return StoreOpenError(
      code: code,
      message:
        "\(path) \(problem) by uid \(uid) (\(reason)); fix: chown \(uid) \(path)"
        + (andDirectory ? " and its directory, or" : " or") + " mount a writable volume")
  }
}
