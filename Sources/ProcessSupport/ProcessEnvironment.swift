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

  /// Removes variables holding secrets once they have been read: each value is overwritten in
  /// place — the strings of the initial environment are what `/proc/<pid>/environ` shows,
  /// and `unsetenv` alone would leave them there — then the variable is unset, so no child
  /// started later inherits it.
  public static func scrub(_ names: [String]) {
    for name in names {
      let prefix = name + "="
      var cursor = environ
      while let entry = cursor.pointee {
        if strncmp(entry, prefix, prefix.utf8.count) == 0 {
          let value = entry + prefix.utf8.count
          memset(value, 0, strlen(value))
        }
        cursor += 1
      }
      unsetenv(name)
    }
  }
}
