import ProcessSupport

#if canImport(Glibc)
  import Glibc
#endif

/// How far a long operation (backup, export, import, migration) has come, on standard error:
/// a bar redrawn in place (count, rate, ETA) when standard error is a terminal, else one log
/// line every ``logIntervalMilliseconds`` (a container's log stream, a CI log, a file).
final class Progress {
  /// `BLS_PROGRESS_SECONDS` (an integer from 0 to 86400; 0 logs at every step) in
  /// milliseconds, default 5 s. An invalid value is ignored with a warning.
  static let logIntervalMilliseconds: Int64 = logInterval(ProcessEnvironment.value("BLS_PROGRESS_SECONDS"))
  static let drawIntervalMilliseconds: Int64 = 100

  /// What is being counted, e.g. `"export"`.
  var label: String
  /// The unit counted, e.g. `"events"`, `"pages"`, `"rows"`.
  let unit: String
  /// The count at which the operation is done, when known.
  var total: Int64?
  private let terminal: Bool
  private let started = MonotonicClock.milliseconds()
  private var last: Int64
  private var drewBar = false

  init(_ label: String, unit: String, total: Int64?, terminal: Bool = isatty(2) != 0) {
    self.label = label
    self.unit = unit
    self.total = total
    self.terminal = terminal
    last = started
  }

  /// Reports `done`; draws or logs only when its interval has passed.
  func update(_ done: Int64) {
    let now = MonotonicClock.milliseconds()
    let interval = terminal ? Self.drawIntervalMilliseconds : Self.logIntervalMilliseconds
    guard now - last >= interval else { return }
    last = now
    emit(done, now: now)
  }

  /// Reports work that is not counted (an index being built): the time so far, at the same
  /// intervals as ``update(_:)``.
  func tick() {
    let now = MonotonicClock.milliseconds()
    let interval = terminal ? Self.drawIntervalMilliseconds : Self.logIntervalMilliseconds
    guard now - last >= interval else { return }
    last = now
    let line = "\(label): working, \(elapsed)"
    if terminal {
      StandardIO.write("\r\(line)\u{1B}[K", to: 2)
      drewBar = true
    } else {
      Log.info(line)
    }
  }

  /// The last bar (then a newline) on a terminal; nothing otherwise (the command prints its
  /// own summary).
  func finish(_ done: Int64) {
    guard terminal, drewBar else { return }
    emit(done, now: MonotonicClock.milliseconds())
    StandardIO.write("\n", to: 2)
    drewBar = false
  }

  /// Time since the operation started, e.g. `12.3 s`.
  var elapsed: String {
    let tenths = (MonotonicClock.milliseconds() - started) / 100
    return "\(tenths / 10).\(tenths % 10) s"
  }

  private func emit(_ done: Int64, now: Int64) {
    let line = Self.describe(
      label: label, unit: unit, done: done, total: total, elapsedMilliseconds: now - started)
    if terminal {
      var bar = ""
      if let total, total > 0 {
        let filled = Int(min(done, total) * 30 / total)
        bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled) + "] "
      }
      // \r and "erase to end of line" (ECMA-48 EL): the bar is redrawn in place.
      StandardIO.write("\r\(bar)\(line)\u{1B}[K", to: 2)
      drewBar = true
    } else {
      Log.info(line)
    }
  }

  /// The log interval, in milliseconds, for a `BLS_PROGRESS_SECONDS` value.
  static func logInterval(_ text: String?) -> Int64 {
    guard let text, !text.isEmpty else { return 5000 }
    guard text.utf8.count <= 5, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let seconds = Int64(text),
      seconds <= 86400
    else {
      Log.warning("BLS_PROGRESS_SECONDS: must be an integer from 0 to 86400 (seconds); using 5")
      return 5000
    }
    return seconds * 1000
  }

  /// `export: 120,000/1,000,000 events (12%), 40,000/s, ETA 22 s`.
  static func describe(label: String, unit: String, done: Int64, total: Int64?, elapsedMilliseconds: Int64)
    -> String
  {
    let rate = elapsedMilliseconds > 0 ? Double(done) * 1000 / Double(elapsedMilliseconds) : 0
    var text = "\(label): \(grouped(done))"
    if let total {
      text += "/\(grouped(total)) \(unit)"
      if total > 0 { text += " (\(min(100, done * 100 / total))%)" }
    } else {
      text += " \(unit)"
    }
    text += ", \(grouped(Int64(rate)))/s"
    if let total, rate > 0, done < total {
      text += ", ETA \(duration(Int64(Double(total - done) / rate)))"
    }
    return text
  }

  /// `1234567` → `1,234,567`.
  static func grouped(_ number: Int64) -> String {
    let digits = String(number.magnitude)
    var result = ""
    for (index, digit) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
      result.append(digit)
    }
    return number < 0 ? "-" + result : result
  }

  /// `42 s`, `3 min 05 s`, `1 h 02 min`.
  static func duration(_ seconds: Int64) -> String {
    if seconds < 60 { return "\(seconds) s" }
    if seconds < 3600 { return "\(seconds / 60) min \(twoDigits(seconds % 60)) s" }
    return "\(seconds / 3600) h \(twoDigits(seconds / 60 % 60)) min"
  }

  private static func twoDigits(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
