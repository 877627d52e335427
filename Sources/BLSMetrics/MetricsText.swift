/// Builds a page in the Prometheus text exposition format, version 0.0.4
/// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format): for each
/// family a `# HELP` and a `# TYPE` line, then its samples, `name{label="value",…} value`, one
/// per line, each line ending in `\n`.
public struct MetricsText: Sendable {
  /// The `Content-Type` of the page.
  public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

  /// The metric types of the format.
  public enum Kind: String, Sendable {
    case counter, gauge, histogram
  }

  /// The page so far.
  public private(set) var text = ""
  /// Family names written so far, in order (each at most once).
  public private(set) var families: [String] = []

  public init() {}

  /// Starts the family `name`: its `# HELP` (backslash and line feed escaped) and `# TYPE`.
  public mutating func family(_ name: String, _ kind: Kind, help: String) {
    families.append(name)
    var escaped = ""
    for character in help {
      switch character {
      case "\\": escaped += "\\\\"
      case "\n": escaped += "\\n"
      default: escaped.append(character)
      }
    }
    text += "# HELP \(name) \(escaped)\n# TYPE \(name) \(kind.rawValue)\n"
  }

  /// One sample line; `value` is already a number as the format writes it.
  public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: String) {
    text += name
    if !labels.isEmpty {
      text += "{"
      for (index, (label, labelValue)) in labels.enumerated() {
        if index > 0 { text += "," }
        text += label + "=\"" + Self.escapeLabelValue(labelValue) + "\""
      }
      text += "}"
    }
    text += " " + value + "\n"
  }

  /// A whole family of one unlabelled sample.
  public mutating func single(_ name: String, _ kind: Kind, help: String, _ value: String) {
    family(name, kind, help: help)
    sample(name, [], value)
  }

  /// The samples of one histogram series: cumulative `_bucket`s (with `le`, `+Inf` last),
  /// `_sum` and `_count`.
  public mutating func histogram(_ name: String, _ labels: [(String, String)] = [], _ snapshot: Histogram.Snapshot) {
    var cumulative: UInt64 = 0
    for (index, count) in snapshot.counts.enumerated() {
      cumulative &+= count
      let le = index < snapshot.bounds.count ? Self.decimal(snapshot.bounds[index], scale: snapshot.scale) : "+Inf"
      sample(name + "_bucket", labels + [("le", le)], String(cumulative))
    }
    sample(name + "_sum", labels, Self.decimal(snapshot.sum, scale: snapshot.scale))
    sample(name + "_count", labels, String(cumulative))
  }

  /// `value / scale` written exactly when `scale` is a power of ten (`1500000, 1e9` →
  /// `0.0015`), else as the nearest double.
  public static func decimal(_ value: UInt64, scale: UInt64) -> String {
    if scale <= 1 { return String(value) }
    var digits = 0
    var power: UInt64 = 1
    while power < scale {
      power *= 10
      digits += 1
    }
    guard power == scale else { return String(Double(value) / Double(scale)) }
    let whole = String(value / scale)
    var fraction = String(value % scale)
    fraction = String(repeating: "0", count: digits - fraction.count) + fraction
    while fraction.last == "0" { fraction.removeLast() }
    return fraction.isEmpty ? whole : whole + "." + fraction
  }

  /// A label value with `\`, `"` and line feed escaped (format § "label_value").
  static func escapeLabelValue(_ value: String) -> String {
    var escaped = ""
    for character in value {
      switch character {
      case "\\": escaped += "\\\\"
      case "\"": escaped += "\\\""
      case "\n": escaped += "\\n"
      default: escaped.append(character)
      }
    }
    return escaped
  }
}
