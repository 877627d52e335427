import BLSApp
import ProcessSupport

/// `BLS_LOG_FORMAT` (or its `_FILE`): `text` (default) or `json` for every line ``Log``
/// writes in this process (issue 13). `run`'s responder reads the same variable, and `run`
/// renders nginx's access log in the matching format.
enum LogSetup {
  /// Sets ``Log/format`` from the environment; an invalid value prints one line and exits 1.
  static func configure(_ environment: Environment) {
    Log.format = format(environment)
  }

  /// The format the environment asks for, or `nil` when the value is invalid.
  static func validFormat(_ environment: Environment) -> LogFormat? {
    do {
      guard let value = try environment.value("BLS_LOG_FORMAT") else { return .text }
      return LogFormat(rawValue: value.value.lowercased())
    } catch {
      return nil
    }
  }

  /// The format the environment asks for; exits 1 with the one-line error for a bad value.
  static func format(_ environment: Environment) -> LogFormat {
    do throws(ConfigurationError) {
      guard let value = try environment.value("BLS_LOG_FORMAT") else { return .text }
      guard let format = LogFormat(rawValue: value.value.lowercased()) else {
        throw ConfigurationError(variable: value.source, rule: "must be text or json, got \"\(value.value)\"")
      }
      return format
    } catch {
      StandardIO.fail(error.description)
    }
  }
}
