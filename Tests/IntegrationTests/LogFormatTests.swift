import BLSTestSupport
import Foundation
import JSON
import Testing

/// `BLS_LOG_FORMAT` (issue 13): `json` gives one object per line (time, level, message,
/// fields) from the responder and from `run`, and nginx's access log in the same shape; the
/// default stays the readable text.
@Suite("BLS_LOG_FORMAT over the real processes", .serialized)
struct LogFormatTests {
  /// The lines of `text` that are not nginx's own error log (which has no JSON form).
  static func ownLines(_ text: String) -> [Substring] {
    text.split(separator: "\n").filter {
      !$0.hasPrefix("nginx: ") && $0.range(of: #"^\d{4}/\d{2}/\d{2} "#, options: .regularExpression) == nil
    }
  }

  /// Problems with a JSON log line: not an object, or without the four members.
  static func problems(_ line: Substring) -> [String] {
    guard let object = (try? JSONValue.parse(Array(line.utf8)))?.objectValue else { return ["not JSON: \(line)"] }
    var found: [String] = []
    let time = object["time"]?.stringValue ?? ""
    if time.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"#, options: .regularExpression)
      == nil
    {
      found.append("time \(time)")
    }
    if !["info", "warning", "error"].contains(object["level"]?.stringValue ?? "") { found.append("level: \(line)") }
    if object["message"]?.stringValue == nil { found.append("message: \(line)") }
    if object["fields"]?.objectValue == nil { found.append("fields: \(line)") }
    return found
  }

  @Test("run: its lines, the responder's and nginx's access log are JSON")
  func runInJSON() throws {
    var variables = PaymentCase.environment(profile: "defaults")
    variables["BLS_LOG_FORMAT"] = "json"
    let stack = try RunningStack("log-json", variables: variables, accessLog: true)
    #expect(try stack.connect().request("GET", "/health?from=json").status == 200)
    #expect(ChildProcess.waitUntil(seconds: 5) { stack.process.stdout.contains("/health?from=json") })
    stack.process.signal(SIGTERM)
    #expect(stack.process.waitForExit(seconds: 15) == 0)

    let errors = Self.ownLines(stack.process.stderr)
    #expect(errors.count >= 5)
    #expect(errors.flatMap(Self.problems).isEmpty, "\(errors.flatMap(Self.problems))")
    let messages = errors.compactMap { (try? JSONValue.parse(Array($0.utf8)))?.objectValue?["message"]?.stringValue }
    #expect(messages.contains { $0.hasPrefix("ready: ") }, "run's own line")
    #expect(messages.contains { $0.hasPrefix("serving on ") }, "the responder's line")
    #expect(messages.contains { $0.hasPrefix("group commit: ") })

    let access = stack.process.stdout.split(separator: "\n")
    #expect(!access.isEmpty)
    #expect(access.flatMap(Self.problems).isEmpty, "\(access.flatMap(Self.problems))")
    let health = try #require(access.first { $0.contains("/health?from=json") })
    let fields = try JSONValue.parse(Array(health.utf8)).objectValue?["fields"]?.objectValue
    #expect(fields?["status"]?.stringValue == "200")
    #expect(fields?["uri"]?.stringValue == "/health?from=json")
    #expect(fields?["source"]?.stringValue == "nginx")
  }

  @Test("text stays the default, and an unknown format is one line and exit 1")
  func textAndInvalid() throws {
    let text = try ServingResponder("log-text")
    #expect(text.process.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("bls-fcgi: ") })

    let invalid = try ServingResponder("log-invalid", variables: ["BLS_LOG_FORMAT": "yaml"], waitForSocket: false)
    #expect(invalid.process.waitForExit(seconds: 10) == 1)
    #expect(invalid.process.stderr == "ERROR: BLS_LOG_FORMAT: must be text or json, got \"yaml\"\n")
  }

  @Test("a configuration error in JSON format is one JSON error line")
  func configurationErrorInJSON() throws {
    let responder = try ServingResponder(
      "log-json-error", variables: ["BLS_LOG_FORMAT": "json", "BLS_PORT": "0"], waitForSocket: false)
    #expect(responder.process.waitForExit(seconds: 10) == 1)
    let lines = responder.process.stderr.split(separator: "\n")
    #expect(lines.count == 1)
    let object = try JSONValue.parse(Array((lines.first ?? "").utf8)).objectValue
    #expect(object?["level"]?.stringValue == "error")
    #expect(object?["message"]?.stringValue?.hasPrefix("BLS_PORT: ") == true)
  }
}
