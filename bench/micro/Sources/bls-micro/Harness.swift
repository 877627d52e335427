#if canImport(Glibc)
  import Glibc
#endif

/// Times a body in a loop with `ContinuousClock` and reports nanoseconds per operation.
///
/// Each benchmark is calibrated (iterations doubled until one round lasts at least the
/// round time), then run for several rounds; the report gives the fastest round (least
/// disturbed by other processes on a shared machine) and the median.
struct Harness {
  var roundTime: Duration = .milliseconds(200)
  var rounds = 7
  var filter: String?
  private(set) var results: [(name: String, best: Double, median: Double, note: String)] = []

  /// Runs `body(iterations)` and records ns/op. `body` must do `iterations` operations.
  mutating func run(_ name: String, note: String = "", _ body: (Int) -> Void) {
    if let filter, !name.contains(filter) { return }
    let clock = ContinuousClock()
    var iterations = 1
    while true {
      let elapsed = clock.measure { body(iterations) }
      if elapsed >= roundTime || iterations >= 1 << 30 { break }
      let factor = elapsed < roundTime / 16 ? 8 : 2
      iterations *= factor
    }
    var perOp: [Double] = []
    for _ in 0..<rounds {
      let elapsed = clock.measure { body(iterations) }
      perOp.append(Self.nanoseconds(elapsed) / Double(iterations))
    }
    perOp.sort()
    let result = (name: name, best: perOp[0], median: perOp[perOp.count / 2], note: note)
    results.append(result)
    print(Self.format(result))
  }

  static func nanoseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
  }

  static func header() -> String {
    pad("benchmark", 34) + lpad("best ns/op", 13) + lpad("median", 13) + "  note"
  }

  static func format(_ result: (name: String, best: Double, median: Double, note: String)) -> String {
    pad(result.name, 34) + lpad(number(result.best), 13) + lpad(number(result.median), 13) + "  " + result.note
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
