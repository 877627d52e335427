import BLSTestSupport
import Foundation
import JSON
import Testing

/// The Apache setup: `spawn-fcgi` starts `bls-fcgi serve` on a unix socket, and Apache httpd
/// (mod_proxy_fcgi) serves the contract through the example virtual host shipped as
/// nginx/apache-vhost.conf, with the JSON error documents of nginx/apache-errors/.
@Suite("Apache: mod_proxy_fcgi and the example virtual host")
struct ApacheTests {
  @Test("each error document is a reject in the contract's shape", arguments: ["413", "502", "503", "504"])
  func errorDocument(status: String) throws {
    let url = TestEnvironment.repositoryRoot.appendingPathComponent("nginx/apache-errors/\(status).json")
    let document = try JSONValue.parse([UInt8](Data(contentsOf: url)))
    #expect(document["accept"] == false)
    #expect(document["code"] == (status == "413" ? "F00" : "T00"))
    #expect(document["message"]?.stringValue?.isEmpty == false)
    #expect(document.objectValue?.count == 3, "\(document.serialized)")
    if status == "413" {
      #expect(document["message"]?.stringValue?.contains("103768") == true, "the default limit")
    }
  }

  @Test(
    "the contract through Apache and a spawn-fcgi responder; JSON errors, never HTML",
    .enabled(
      if: ApacheInstall.found != nil, "Apache httpd with mod_proxy_fcgi is not installed (apt-get install apache2)"))
  func apacheHost() throws {
    let host = try ApacheHost("apache")
    let (port, errorLog) = (host.port, host.errorLog)
    let responder = host.responder

    var connection = try HTTPConnection(port: port)
    let health = try connection.request("GET", "/health")
    #expect(health.status == 200, "\(health.text) \(errorLog())")
    #expect(health.headers["content-type"] == "application/json")
    #expect(health.json?["status"] == "healthy")
    #expect(try connection.request("GET", "/health?from=apache").status == 200, "the query is not part of the path")

    var accepted = 0
    var rejected = 0
    for testCase in PaymentCase.cases(profile: "defaults") {
      if connection.isClosed { connection = try HTTPConnection(port: port) }
      let (answer, problems) = try testCase.run(on: connection)
      #expect(problems.contains { $0.isEmpty }, "\(testCase.id): \(problems) — \(answer.text)")
      if answer.json?["accept"] == true && answer.json?["fulfillment"]?.stringValue != nil { accepted += 1 }
      if answer.status == 400 && answer.json?["accept"] == false { rejected += 1 }
    }
    #expect(accepted > 0 && rejected > 0, "accepted \(accepted), rejected \(rejected)")

    // A query after a POST route changes nothing; the packet dialect and a 404 pass through.
    let reject = try #require(PaymentCase.cases(profile: "defaults").first { $0.expectations[0]["accept"] == false })
    let queried = try HTTPConnection(port: port).request(
      reject.method, reject.path + "?via=apache", headers: reject.headers, body: reject.body)
    #expect(PaymentCase.mismatches(status: queried.status, body: queried.body, reject.expectations[0]) == [])
    let transit =
      #"{"paymentId":"p1","destination":"g.bls-acceptance.dev","amount":"1","#
      + #""expiresAt":"2099-01-01T00:00:00.000Z","isTransit":true}"#
    let packet = try HTTPConnection(port: port).request(
      "POST", "/handle-packet", headers: [("Content-Type", "application/json")], body: Array(transit.utf8))
    #expect(packet.status == 200 && packet.text == #"{"accept":true}"#, "\(packet.status) \(packet.text)")
    let missing = try HTTPConnection(port: port).request("GET", "/nope")
    #expect(missing.status == 404 && missing.json?["code"] == "F00", "the responder's own 404: \(missing.text)")

    // Apache sets no limit of its own (none applies to proxied requests): one byte over the
    // responder's limit is its JSON 413, passed on; a body at the limit reaches it (a 400 for
    // a body of spaces).
    let limit = (65536 + 2) / 3 * 4 + 16384
    func post(_ count: Int) throws -> HTTPAnswer {
      try HTTPConnection(port: port).request(
        "POST", "/handle-payment", headers: [("Content-Type", "application/json")],
        body: [UInt8](repeating: 0x20, count: count))
    }
    let tooLarge = try post(limit + 1)
    #expect(tooLarge.status == 413)
    #expect(tooLarge.headers["content-type"] == "application/json", "\(tooLarge.text)")
    #expect(tooLarge.json?["accept"] == false)
    #expect(tooLarge.json?["code"] == "F00")
    #expect(tooLarge.json?["message"]?.stringValue?.contains(String(limit)) == true, "\(tooLarge.text)")
    let atLimit = try post(limit)
    #expect(atLimit.status == 400 && atLimit.json?["code"] == "F00", "the responder answers: \(atLimit.text)")

    // SIGTERM to the responder: Apache holds no connection open (enablereuse=off), so it
    // drains at once and exits 0 (each pooled connection would cost it a 2 s lingering close).
    // Apache then answers the JSON T00 reject.
    let stopping = Date()
    responder.signal(SIGTERM)
    #expect(responder.waitForExit(seconds: 10) == 0, "\(responder.stderr)")
    #expect(Date().timeIntervalSince(stopping) < 2, "the responder's stop waited on Apache's connections")
    for (method, path) in [("GET", "/health"), ("POST", "/handle-payment")] {
      let down = try HTTPConnection(port: port).request(method, path, body: method == "POST" ? Array("{}".utf8) : [])
      #expect(down.status == 503, "connection refused is Apache's 503: \(down.status) \(down.text)")
      #expect(down.headers["content-type"] == "application/json", "\(down.headers) \(down.text)")
      #expect(down.json?["accept"] == false && down.json?["code"] == "T00", "\(down.text)")
    }

    // A restarted responder gets the very next request (retry=0: no 60 s back-off).
    let restarted = try host.startResponder("spawn-fcgi-again")
    defer {
      restarted.signal(SIGTERM)
      _ = restarted.waitForExit(seconds: 10)
    }
    let again = try HTTPConnection(port: port).request("GET", "/health")
    #expect(again.status == 200, "\(again.text) \(errorLog())")
  }
}

extension ApacheTests {
  @Test(
    "BLS_AUTH_TOKEN behind the Apache example: the Bearer header reaches the responder (CGIPassAuth)",
    .enabled(if: ApacheInstall.found != nil, "Apache httpd with mod_proxy_fcgi is not installed"))
  func authorizationPassesThrough() throws {
    let token = "apache-token-0123456789abcdef"
    let host = try ApacheHost("apache-auth", extra: ["BLS_AUTH_TOKEN": token])
    let body = Array(#"{"amount":"1","destination":"g.x","data":"!"}"#.utf8)
    let refused = try HTTPConnection(port: host.port).request("POST", "/handle-payment", body: body)
    #expect(refused.status == 401, "\(refused.text)")
    let passed = try HTTPConnection(port: host.port).request(
      "POST", "/handle-payment", headers: [("Authorization", "Bearer \(token)")], body: body)
    #expect(passed.status == 400, "past the token check, the body is refused: \(passed.text) \(host.errorLog())")
  }
}

/// Where Apache httpd and its modules are, and how the test runs it.
struct ApacheInstall {
  let binary: String
  let modules: String

  /// `$BLS_APACHE` and `$BLS_APACHE_MODULES` when set, else Debian's or Red Hat's layout;
  /// nil when no Apache with mod_proxy_fcgi is installed.
  static let found: ApacheInstall? = {
    let environment = ProcessInfo.processInfo.environment
    let binaries = environment["BLS_APACHE"].map { [$0] } ?? ["/usr/sbin/apache2", "/usr/sbin/httpd"]
    let moduleDirectories =
      environment["BLS_APACHE_MODULES"].map { [$0] }
      ?? ["/usr/lib/apache2/modules", "/usr/lib64/httpd/modules", "/usr/lib/httpd/modules"]
    guard let binary = binaries.first(where: { FileManager.default.isExecutableFile(atPath: $0) }),
      let modules = moduleDirectories.first(where: {
        FileManager.default.fileExists(atPath: $0 + "/mod_proxy_fcgi.so")
      })
    else { return nil }
    return ApacheInstall(binary: binary, modules: modules)
  }()

  /// The account Apache's children use when it starts as root (it refuses to serve as root).
  static var unprivilegedAccount: String { getpwnam("www-data") != nil ? "www-data" : "daemon" }

  /// A minimal main configuration: one loopback `Listen`, files under `directory`, only the
  /// modules the example needs (those built in, like unixd on Debian, have no .so here).
  func mainConfiguration(directory: String, port: Int, account: String?, include: String) -> String {
    let modules = ["mpm_event", "unixd", "authz_core", "mime", "alias", "proxy", "proxy_fcgi", "reqtimeout"]
      .filter { FileManager.default.fileExists(atPath: "\(self.modules)/mod_\($0).so") }
      .map { "LoadModule \($0)_module \(self.modules)/mod_\($0).so" }
    return """
      ServerRoot \(directory)
      ServerName localhost
      Listen 127.0.0.1:\(port)
      PidFile \(directory)/httpd.pid
      DefaultRuntimeDir \(directory)
      ErrorLog \(directory)/error.log
      LogLevel warn
      \(modules.joined(separator: "\n"))
      TypesConfig /dev/null
      DocumentRoot \(directory)
      \(account.map { "User \($0)\nGroup \($0)" } ?? "")
      Include \(include)

      """
  }

  /// Runs `httpd -DFOREGROUND -f configuration` with no signal blocked: the test's threads
  /// block most signals and a child inherits that mask, so Apache (unlike nginx, which clears
  /// its mask) would never see the SIGTERM that stops it.
  func start(configuration: String, logDirectory: URL) throws -> ChildProcess {
    var unblocked = sigset_t()
    var saved = sigset_t()
    sigemptyset(&unblocked)
    pthread_sigmask(SIG_SETMASK, &unblocked, &saved)
    defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
    return try ChildProcess(
      binary, ["-DFOREGROUND", "-f", configuration], environment: TestEnvironment.childEnvironment([:]),
      logDirectory: logDirectory, name: "apache")
  }

  /// SIGTERM: Apache stops its children, then exits. After 10 s, SIGKILL to its whole process
  /// group (Foundation starts a child as a group leader; Apache's children stay in it), so a
  /// failed test leaves no process behind.
  static func stop(_ apache: ChildProcess) {
    apache.signal(SIGTERM)
    if apache.waitForExit(seconds: 10) == nil {
      kill(-apache.pid, SIGKILL)
      _ = apache.waitForExit(seconds: 5)
    }
  }
}
