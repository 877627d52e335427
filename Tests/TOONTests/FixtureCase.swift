import BLSTestSupport
import JSON
import TOON
import Testing

/// One test case of the TOON specification's conformance fixtures (`toon-fixtures/`).
struct FixtureCase: Sendable, CustomTestStringConvertible {
  let file: String
  let name: String
  let input: JSONValue
  let expected: JSONValue
  let shouldError: Bool
  let options: JSONObject

  var testDescription: String { "\(file): \(name)" }

  /// Every case of every file under `toon-fixtures/<category>`.
  static func load(_ category: String) -> [FixtureCase] {
    Fixtures.jsonFiles(in: "toon-fixtures/\(category)").flatMap { path -> [FixtureCase] in
      guard let file = try? Fixtures.json(path), let tests = file["tests"]?.arrayValue else { return [] }
      let short = String(path.dropFirst("toon-fixtures/".count))
      return tests.map { test in
        FixtureCase(
          file: short, name: test["name"]?.stringValue ?? "?", input: test["input"] ?? .null,
          expected: test["expected"] ?? .null, shouldError: test["shouldError"] == .bool(true),
          options: test["options"]?.objectValue ?? JSONObject())
      }
    }
  }

  static let decodeCases = load("decode")
  static let encodeCases = load("encode")

  var decoder: TOONDecoder {
    var decoder = TOONDecoder()
    if case .bool(let strict) = options["strict"] { decoder.strict = strict }
    if let indent = options["indentSize"]?.numberValue?.int64Value { decoder.indent = Int(indent) }
    return decoder
  }

  var encoder: TOONEncoder {
    var encoder = TOONEncoder()
    if let indent = options["indentSize"]?.numberValue?.int64Value { encoder.indent = Int(indent) }
    switch options["delimiter"]?.stringValue {
    case "\t": encoder.delimiter = .tab
    case "|": encoder.delimiter = .pipe
    default: break
    }
    return encoder
  }
}
