/// The format of ``Log``'s lines, from `BLS_LOG_FORMAT`.
public enum LogFormat: String, Sendable, CaseIterable {
  /// `bls-fcgi: <message> key=value…` (the default).
  case text
  /// One JSON object per line: `time`, `level`, `message`, `fields`.
  case json
}
