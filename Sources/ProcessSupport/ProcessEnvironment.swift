import Glibc

/// The process's environment variables (`environ`).
public enum ProcessEnvironment {
  /// Every `NAME=value` entry as name → value (an entry without `=` is skipped).
  public static var variables: [String: String] {
    var result: [String: String] = [:]
    var cursor = environ
    while let entry = cursor.pointee {
      let pair = String(cString: entry)
      if let separator = pair.firstIndex(of: "=") {
        result[String(pair[..<separator])] = String(pair[pair.index(after: separator)...])
      }
      cursor += 1
    }
    return result
  }

  /// One variable, or `nil` when unset.
  public static func value(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }
}
