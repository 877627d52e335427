import Glibc

/// Times a body in a loop with `ContinuousClock` and reports nanoseconds per operation.
///
/// Each benchmark is calibrated (iterations doubled until one round lasts at least the
/// round time), then run for several rounds; the report gives the fastest round (least
/// disturbed by other processes on a shared machine) and the median.
struct Harness {
  var roundTime: Duration = .milliseconds(200)
  var rounds = 7
  var filter: String?
  /// When set, each benchmark runs exactly this many iterations once (no calibration), for
  /// instruction counts under `valgrind --tool=callgrind`.
  var fixedIterations: Int?
  private(set) var results: [Result] = []

  struct Result {
    var name: String
    /// Wall-clock ns/op of the fastest round, and the median round.
    var best: Double
    var median: Double
    /// Process CPU time (user + system, every thread) per op in the round with the least:
    /// steadier than wall time on a shared machine, and it counts the store's writer thread.
    var cpu: Double
    var note: String
  }

  /// Runs `body(iterations)` and records ns/op. `body` must do `iterations` operations.
  mutating func run(_ name: String, note: String = "", _ body: (Int) -> Void) {
    if let filter, !name.contains(filter) { return }
    let clock = ContinuousClock()
    if let fixedIterations {
      let elapsed = clock.measure { body(fixedIterations) }
      print(
        Self.pad(name, 38) + Self.lpad(Self.number(Self.nanoseconds(elapsed) / Double(fixedIterations)), 12)
          + "  (\(fixedIterations) iterations, one round)")
      return
    }
    var iterations = 1
    while true {
      let elapsed = clock.measure { body(iterations) }
      if elapsed >= roundTime || iterations >= 1 << 30 { break }
      let factor = elapsed < roundTime / 16 ? 8 : 2
      iterations *= factor
    }
    var perOp: [Double] = []
    var cpuPerOp = Double.infinity
    for _ in 0..<rounds {
      let cpuBefore = Self.processCPUNanoseconds()
      let elapsed = clock.measure { body(iterations) }
      cpuPerOp = min(cpuPerOp, (Self.processCPUNanoseconds() - cpuBefore) / Double(iterations))
      perOp.append(Self.nanoseconds(elapsed) / Double(iterations))
    }
    perOp.sort()
    let result = Result(name: name, best: perOp[0], median: perOp[perOp.count / 2], cpu: cpuPerOp, note: note)
    results.append(result)
    print(Self.format(result))
  }

  static func processCPUNanoseconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) * 1e9 + Double(usage.ru_utime.tv_usec) * 1e3
    let system = Double(usage.ru_stime.tv_sec) * 1e9 + Double(usage.ru_stime.tv_usec) * 1e3
    return user + system
  }

  static func nanoseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
  }

  static func header() -> String {
    pad("benchmark", 38) + lpad("best ns/op", 12) + lpad("median", 10) + lpad("cpu ns/op", 11) + "  note"
  }

  static func format(_ result: Result) -> String {
    pad(result.name, 38) + lpad(number(result.best), 12) + lpad(number(result.median), 10)
      + lpad(number(result.cpu), 11) + "  " + result.note
  }

  static func number(_ value: Double) -> String {
    if value >= 100 { return String(Int(value.rounded())) }
    return String((value * 10).rounded() / 10)
  }

  static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }

  static func lpad(_ text: String, _ width: Int) -> String {
    text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
  }
}

/// Keeps a value alive so the optimiser cannot drop the work that produced it.
@inline(never)
func blackHole<T>(_ value: T) {
  withExtendedLifetime(value) {}
}
