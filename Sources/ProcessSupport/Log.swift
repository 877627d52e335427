import Glibc
import JSON
import Synchronization

/// One-line logs on standard error (a container's log stream), each written with a single
/// `write(2)`, so lines from several threads never interleave.
///
/// Two formats (``LogFormat``, `BLS_LOG_FORMAT`): `text` (the default), `bls-fcgi: <message>`
/// with any fields appended as ` key=value`; and `json`, one object per line:
/// `{"time":"2026-12-04T08:13:53.123Z","level":"info","message":"…","fields":{…}}`, the time
/// in RFC 3339 UTC with milliseconds.
public enum Log {
  private static let jsonFormat = Atomic<Bool>(false)

  /// The format of every line from now on; set once at start, before threads log.
  public static var format: LogFormat {
    get { jsonFormat.load(ordering: .relaxed) ? .json : .text }
    set { jsonFormat.store(newValue == .json, ordering: .relaxed) }
  }

  /// An `info` line.
  public static func info(_ message: String, _ fields: [(String, String)] = []) {
    emit(.info, message, fields)
  }

  /// A `warning` line (text: `bls-fcgi: WARNING: <message>`).
  public static func warning(_ message: String, _ fields: [(String, String)] = []) {
    emit(.warning, message, fields)
  }

  /// An `error` line (text: `bls-fcgi: ERROR: <message>`).
  public static func error(_ message: String, _ fields: [(String, String)] = []) {
    emit(.error, message, fields)
  }

  /// The levels a line may have.
  public enum Level: String, Sendable {
    case info, warning, error
  }

  static func emit(_ level: Level, _ message: String, _ fields: [(String, String)]) {
    let line = render(level, message, fields, format: format, now: wallClock())
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
  }

  /// One line, ending in a line feed, in `format`; `now` is (seconds, milliseconds) of Unix time.
  public static func render(
    _ level: Level, _ message: String, _ fields: [(String, String)], format: LogFormat, now: (Int, Int)
  ) -> [UInt8] {
    switch format {
    case .text:
      var text = "bls-fcgi: "
      if level != .info { text += level.rawValue.uppercased() + ": " }
      text += message
      for (key, value) in fields { text += " \(key)=\(value)" }
      return Array((text + "\n").utf8)
    case .json:
      var bytes: [UInt8] = []
      bytes.reserveCapacity(message.utf8.count + 96)
      bytes += Array(
        "{\"time\":\"\(rfc3339(seconds: now.0, milliseconds: now.1))\",\"level\":\"\(level.rawValue)\",\"message\":"
          .utf8)
      JSONWriter.appendQuoted(message, to: &bytes)
      bytes += Array(",\"fields\":{".utf8)
      for (index, (key, value)) in fields.enumerated() {
        if index > 0 { bytes.append(UInt8(ascii: ",")) }
        JSONWriter.appendQuoted(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        JSONWriter.appendQuoted(value, to: &bytes)
      }
      bytes += Array("}}\n".utf8)
      return bytes
    }
  }

  /// `YYYY-MM-DDTHH:MM:SS.mmmZ` (RFC 3339 §5.6, UTC).
  public static func rfc3339(seconds: Int, milliseconds: Int) -> String {
    var time = time_t(seconds)
    var parts = tm()
    gmtime_r(&time, &parts)
    func pad(_ value: Int32, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return
      "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(milliseconds), 3))Z"
  }

  private static func wallClock() -> (Int, Int) {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return (Int(now.tv_sec), Int(now.tv_nsec) / 1_000_000)
  }
}
