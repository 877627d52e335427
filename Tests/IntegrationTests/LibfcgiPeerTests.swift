import BLSTestSupport
import Foundation
import Testing

/// libfcgi, what most of the world speaks FastCGI with, as the independent peer: `cgi-fcgi`
/// (Debian's libfcgi-bin) sends each payment case to the responder's socket as a CGI program
/// would, and the answers match the cases' expectations — the same answers nginx and Apache
/// relay.
@Suite("libfcgi's cgi-fcgi as the peer")
struct LibfcgiPeerTests {
  static let cgiFCGI = "/usr/bin/cgi-fcgi"

  /// Runs `cgi-fcgi -bind -connect socket` with the request as CGI variables and stdin; returns
  /// the CGI response it printed.
  static func send(_ testCase: PaymentCase, to socket: String) throws -> HTTPAnswer {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: cgiFCGI)
    process.arguments = ["-bind", "-connect", socket]
    var environment = [
      "REQUEST_METHOD": testCase.method, "REQUEST_URI": testCase.path, "GATEWAY_INTERFACE": "CGI/1.1",
      "CONTENT_LENGTH": String(testCase.body.count), "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
    ]
    for (name, value) in testCase.headers {
      let cgiName = "HTTP_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
      environment[name.lowercased() == "content-type" ? "CONTENT_TYPE" : cgiName] = value
    }
    process.environment = environment
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(testCase.body))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return try FastCGIClient.parseCGI(Array(data))
  }

  @Test(
    "every defaults-profile payment case through cgi-fcgi answers as expected",
    .enabled(if: FileManager.default.isExecutableFile(atPath: cgiFCGI), "libfcgi-bin (cgi-fcgi) is not installed"))
  func paymentCases() throws {
    let responder = try ServingResponder("cgi-fcgi")
    let cases = PaymentCase.cases(profile: "defaults")
    #expect(!cases.isEmpty)
    for testCase in cases {
      let answer = try Self.send(testCase, to: responder.socketPath)
      let problems = testCase.expectations.map {
        PaymentCase.mismatches(status: answer.status, body: answer.body, $0)
      }
      #expect(problems.contains { $0.isEmpty }, "\(testCase.id): \(problems) — \(answer.status) \(answer.text)")
      #expect(answer.headers["content-type"] == "application/json", "\(testCase.id)")
    }
  }
}
