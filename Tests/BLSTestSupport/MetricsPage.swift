/// A parsed `/metrics` page: each sample line's series (`name{labels}` as written) and value
/// text, and each family's type. Fails (returns nil) on a line that is neither a comment nor a
/// well-formed sample, so a test reading it also checks the format (issue 13).
public struct MetricsPage {
  public var samples: [String: String] = [:]
  public var types: [String: String] = [:]

  public init?(_ text: String) {
    guard text.hasSuffix("\n") else { return nil }
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
      if line.hasPrefix("# TYPE ") {
        let parts = line.split(separator: " ")
        guard parts.count == 4 else { return nil }
        types[String(parts[2])] = String(parts[3])
      } else if line.hasPrefix("# HELP ") {
        continue
      } else {
        guard let space = line.lastIndex(of: " ") else { return nil }
        let series = String(line[..<space])
        let value = String(line[line.index(after: space)...])
        guard !series.isEmpty, Double(value) != nil || value == "+Inf", samples[series] == nil else { return nil }
        samples[series] = value
      }
    }
  }

  /// The value of `series` as an integer (nil when absent or not an integer).
  public func integer(_ series: String) -> UInt128? { samples[series].flatMap { UInt128($0) } }

  /// `bls_requests_total` for an endpoint and code (`""`: accepts).
  public func requests(_ endpoint: String, _ code: String) -> UInt128? {
    integer(
      "bls_requests_total{endpoint=\"\(endpoint)\",outcome=\"\(code.isEmpty ? "accept" : "reject")\",code=\"\(code)\"}")
  }
}

extension MetricsPage {
  /// The metric names an expression or a config refers to: every `bls_…` or `process_…`
  /// identifier, with a histogram's `_bucket`, `_sum` or `_count` suffix taken off.
  public static func referencedNames(in text: String) -> Set<String> {
    var names: Set<String> = []
    var current = ""
    func flush() {
      if current.hasPrefix("bls_") || current.hasPrefix("process_") {
        var name = current
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
          name.removeLast(suffix.count)
        }
        names.insert(name)
      }
      current = ""
    }
    for character in text {
      if character.isASCII && (character.isLetter || character.isNumber || character == "_") {
        current.append(character)
      } else {
        flush()
      }
    }
    flush()
    return names
  }
}
