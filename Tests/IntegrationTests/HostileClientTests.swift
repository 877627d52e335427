import BLSTestSupport
import Foundation
import Testing

/// Slow senders, idle floods and readers that never read must not starve anyone else: while
/// they run, `/health` keeps answering (p99 under 1 s, no failure) through the bundled nginx,
/// through the Apache example, and at the responder itself over raw FastCGI.
@Suite("hostile clients: nobody starves /health", .serialized)
struct HostileClientTests {
  /// How long the probes run while the hostile peers hold their connections.
  static let probeSeconds = 6.0

  /// An HTTP request head announcing a 1000-byte body, for a slow sender.
  static let slowHTTPHead = Array(
    "POST /handle-payment HTTP/1.1\r\nHost: bls\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n".utf8)

  static func httpHealth(port: Int) -> Bool {
    (try? HTTPConnection(port: port, timeoutSeconds: 3).request("GET", "/health"))?.status == 200
  }

  static func expectResponsive(_ latencies: ProbeLatencies, _ what: String) {
    #expect(latencies.failures == 0, "\(what): \(latencies.failures) of \(latencies.samples.count) probes failed")
    #expect(latencies.p99 < 1, "\(what): /health p99 \(latencies.p99) s")
  }

  @Test("through the bundled nginx: slow senders, an idle flood and readers that never read")
  func throughNginx() throws {
    let stack = try RunningStack("hostile-nginx", variables: PaymentCase.environment(profile: "defaults"))
    let hostile = HostileClients(port: stack.port)
    defer { hostile.stop() }
    hostile.start(16, .slowSender(head: Self.slowHTTPHead, interval: 1))
    hostile.start(200, .idle)
    hostile.start(4, .neverReads(request: Array("GET /health HTTP/1.1\r\nHost: bls\r\n\r\n".utf8)))
    Self.expectResponsive(ProbeLatencies(seconds: Self.probeSeconds) { Self.httpHealth(port: stack.port) }, "nginx")
  }

  @Test(
    "through the Apache example: slow senders whose bodies Apache streams to the responder",
    .enabled(if: ApacheInstall.found != nil, "Apache httpd with mod_proxy_fcgi is not installed"))
  func throughApache() throws {
    let host = try ApacheHost("hostile-apache")
    let hostile = HostileClients(port: host.port)
    defer { hostile.stop() }
    // More slow senders than the responder has workers (2): each used to hold one.
    hostile.start(8, .slowSender(head: Self.slowHTTPHead, interval: 1))
    hostile.start(20, .idle)
    Self.expectResponsive(
      ProbeLatencies(seconds: Self.probeSeconds) { Self.httpHealth(port: host.port) }, "Apache: \(host.errorLog())")
  }

  @Test("at the responder over raw FastCGI: slow params, slow bodies and idle connections")
  func atTheResponder() throws {
    let port = TestEnvironment.freePort()
    let responder = try ServingResponder(
      "hostile-fcgi", listener: ["--listen", "127.0.0.1:\(port)"], options: ["--workers", "2"])
    let hostile = HostileClients(port: port)
    defer { hostile.stop() }
    let params = FastCGIClient.encodeParams([
      ("REQUEST_METHOD", "POST"), ("REQUEST_URI", "/handle-payment"), ("CONTENT_LENGTH", "1000"),
    ])
    // A body record announcing 1000 bytes, its content then dribbling in a byte at a time.
    let slowBody =
      FastCGIClient.beginRequest(keepConnection: true) + FastCGIClient.stream(.params, params)
      + [1, 5, 0, 1, 0x03, 0xE8, 0, 0]
    // Params announced and never finished.
    let slowParams = FastCGIClient.beginRequest(keepConnection: true) + [1, 4, 0, 1, 0x10, 0x00, 0, 0]
    hostile.start(8, .slowSender(head: slowBody, interval: 1))
    hostile.start(8, .slowSender(head: slowParams, interval: 1))
    hostile.start(100, .idle)
    let health = FastCGIClient.request(method: "GET", uri: "/health")
    Self.expectResponsive(
      ProbeLatencies(seconds: Self.probeSeconds) {
        guard let client = try? FastCGIClient(tcpPort: port, timeoutSeconds: 3) else { return false }
        return (try? client.request(health))?.status == 200
      }, "raw FastCGI: \(responder.process.stderr.suffix(2000))")
  }
}
