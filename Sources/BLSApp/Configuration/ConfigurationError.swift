/// A configuration variable that is missing or breaks its rule.
///
/// ``description`` is the one line the server prints before exiting with status 1:
/// `ERROR: NOSTR_SECRET_KEY: must be a 64-character hex string, got 12 characters`.
/// Messages name the variable and the rule; they never echo a secret's value.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The environment variable at fault (e.g. `BLS_PORT`, `NOSTR_SECRET_KEY_FILE`).
  public let variable: String
  /// The rule it broke.
  public let rule: String

  public init(variable: String, rule: String) {
    self.variable = variable
    self.rule = rule
  }

  public var description: String { "ERROR: \(variable): \(rule)" }
}
