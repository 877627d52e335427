import Foundation
import JSON
import Testing

/// The operator tools log in `BLS_LOG_FORMAT` too (issue 13): `import` with `json` ends with
/// one JSON summary object; an invalid value leaves them in text.
@Suite struct ToolLogFormatTests {
  static func importOne(format: String) throws -> CLIRunner.Result {
    let directory = try OperationsCommandTests.directory("logfmt")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let line = OperationsCommandTests.signedLines(1)[0] + "\n"
    return try CLIRunner.run(
      ["import"], stdin: Data(line.utf8),
      environment: [
        "DATA_DIR": directory, "BLS_LOG_FORMAT": format, "NODE_ID": "", "NOSTR_SECRET_KEY": "", "ILP_ADDRESS": "",
      ])
  }

  @Test func importSummaryIsJSON() throws {
    let result = try Self.importOne(format: "json")
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stderr.split(separator: "\n")
    #expect(!lines.isEmpty)
    for line in lines {
      let object = try JSONValue.parse(Array(line.utf8)).objectValue
      #expect(object?["level"]?.stringValue != nil && object?["fields"]?.objectValue != nil, "\(line)")
    }
    #expect(result.stderr.contains("imported 1 lines into sqlite:") && result.stderr.contains(": stored 1, "))
  }

  @Test func anInvalidFormatLeavesTheToolsInText() throws {
    let result = try Self.importOne(format: "yaml")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("bls-fcgi: ") })
  }
}
