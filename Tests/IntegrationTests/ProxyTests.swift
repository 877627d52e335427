import BLSTestSupport
import Foundation
import JSON
import Testing

/// The bundled nginx in front of the responder: health through the proxy, JSON for every
/// error nginx or the application produces, and the shared body limit.
@Suite("nginx in front of the responder")
struct ProxyTests {
  static let profile = PaymentCase.environment(profile: "defaults")

  @Test("GET /health answers through nginx from the responder")
  func health() throws {
    let stack = try RunningStack("health", variables: Self.profile)
    let answer = try stack.connect().request("GET", "/health")
    #expect(answer.status == 200)
    #expect(answer.headers["content-type"] == "application/json")
    let body = try #require(answer.json)
    #expect(body["status"] == "healthy")
    #expect(body["nodeId"] == .string(Self.profile["NODE_ID"]!))
    #expect(body["ilpAddress"] == .string(Self.profile["ILP_ADDRESS"]!))
    #expect(body["pubkey"]?.stringValue?.count == 64)
    #expect(body["timestamp"]?.numberValue?.int64Value != nil)
    #expect(!answer.text.contains(Self.profile["NOSTR_SECRET_KEY"]!), "the secret key never appears")
  }

  @Test("the access log goes to standard output, errors and lifecycle lines to standard error")
  func logs() throws {
    let stack = try RunningStack("logs", variables: Self.profile, accessLog: true)
    #expect(try stack.connect().request("GET", "/health?from=test").status == 200)
    #expect(
      ChildProcess.waitUntil(seconds: 5) { stack.process.stdout.contains("\"GET /health?from=test HTTP/1.1\" 200") })
    #expect(!stack.process.stderr.contains("GET /health"), "no access lines on standard error")
    #expect(stack.process.stderr.contains("ready: "))
    #expect(!stack.process.stdout.contains(Self.profile["NOSTR_SECRET_KEY"]!))
    #expect(!stack.process.stderr.contains(Self.profile["NOSTR_SECRET_KEY"]!), "the secret is never logged")
  }

  @Test("unknown path 404, wrong method 405, both JSON in the reject shape")
  func notFoundAndWrongMethod() throws {
    let stack = try RunningStack("404", variables: Self.profile)
    let connection = try stack.connect()
    let missing = try connection.request("GET", "/nope")
    #expect(missing.status == 404)
    #expect(missing.json?["accept"] == false)
    #expect(missing.json?["code"] == "F00")
    let wrongMethod = try connection.request("GET", "/handle-payment")
    #expect(wrongMethod.status == 405)
    #expect(wrongMethod.json?["code"] == "F00")
    #expect(wrongMethod.headers["allow"] == "POST")
    let put = try connection.request("PUT", "/health", body: Array("x".utf8))
    #expect(put.status == 405)
    #expect(put.headers["content-type"] == "application/json")
  }

  @Test("a body over the limit is a JSON 413 from nginx; one at the limit reaches the responder")
  func bodyLimit() throws {
    let stack = try RunningStack("413", variables: Self.profile)
    // The default limit: room for the base64 of BLS_MAX_EVENT_BYTES (65536) plus 16 KiB.
    let limit = (65536 + 2) / 3 * 4 + 16384
    let tooLarge = try stack.connect().request(
      "POST", "/handle-payment", headers: [("Content-Type", "application/json")],
      body: [UInt8](repeating: 0x20, count: limit + 1))
    #expect(tooLarge.status == 413)
    #expect(tooLarge.headers["content-type"] == "application/json")
    #expect(tooLarge.json?["accept"] == false)
    #expect(tooLarge.json?["code"] == "F00")
    #expect(tooLarge.json?["message"]?.stringValue?.contains(String(limit)) == true, "\(tooLarge.text)")
    let atLimit = try stack.connect().request(
      "POST", "/handle-payment", headers: [("Content-Type", "application/json")],
      body: [UInt8](repeating: 0x20, count: limit))
    #expect(atLimit.status == 400, "the responder, not nginx, answers a body at the limit: \(atLimit.text)")
    #expect(atLimit.json?["code"] == "F00")
  }

  @Test("nginx answers JSON 502 T00 while the responder is down, and health fails")
  func responderDown() throws {
    let directory = TestEnvironment.temporaryDirectory("502")
    defer { try? FileManager.default.removeItem(at: directory) }
    let port = TestEnvironment.freePort()
    var variables = Self.profile
    variables["BLS_PORT"] = String(port)
    variables["DATA_DIR"] = directory.path
    let environment = TestEnvironment.childEnvironment(variables)
    let runtime = directory.appendingPathComponent("rt").path
    try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true)
    // The bundled configuration, rendered by `run`, with nginx started alone.
    let render = try ChildProcess(
      TestEnvironment.binary,
      ["run", "--print-nginx-config", "--listen-address", "127.0.0.1", "--runtime-dir", runtime],
      environment: environment, logDirectory: directory, name: "render")
    #expect(render.waitForExit(seconds: 10) == 0)
    let config = directory.appendingPathComponent("nginx.conf").path
    try render.stdout.write(toFile: config, atomically: true, encoding: .utf8)
    let nginx = try ChildProcess(
      TestEnvironment.nginx, ["-p", runtime + "/", "-c", config, "-e", "stderr"], environment: environment,
      logDirectory: directory, name: "nginx")
    defer {
      nginx.signal(SIGQUIT)
      _ = nginx.waitForExit(seconds: 5)
    }
    #expect(ChildProcess.waitUntil(seconds: 10) { (try? HTTPConnection(port: port)) != nil })

    let down = try HTTPConnection(port: port).request("GET", "/health")
    #expect(down.status == 502)
    #expect(down.headers["content-type"] == "application/json")
    #expect(down.json?["accept"] == false)
    #expect(down.json?["code"] == "T00")
    #expect(!down.text.contains("<html"))
    #expect(try healthcheck(port: port, environment: environment, in: directory) == 1)

    // As root, the rendered config runs nginx's workers as `nobody`: the socket is theirs to
    // reach through its group, as `run` arranges it.
    let group = geteuid() == 0 ? getpwnam("nobody").map { ["--socket-group", String($0.pointee.pw_gid)] } ?? [] : []
    let responder = try ChildProcess(
      TestEnvironment.binary, ["serve", "--socket", runtime + "/bls.sock"] + group, environment: environment,
      logDirectory: directory, name: "serve")
    // The socket file appears at bind(2), a moment before listen(2): until then nginx still
    // answers 502, so wait for the first 200 rather than for the file.
    #expect(
      ChildProcess.waitUntil(seconds: 10) {
        (try? HTTPConnection(port: port).request("GET", "/health"))?.status == 200
      })
    #expect(try healthcheck(port: port, environment: environment, in: directory) == 0)

    responder.kill()
    let gone = try HTTPConnection(port: port).request("GET", "/health")
    #expect(gone.status == 502)
    #expect(gone.json?["code"] == "T00")
    #expect(try healthcheck(port: port, environment: environment, in: directory) == 1)
  }

  @Test("healthcheck exits 1 when nothing listens on BLS_PORT")
  func healthcheckRefused() throws {
    let directory = TestEnvironment.temporaryDirectory("hc")
    defer { try? FileManager.default.removeItem(at: directory) }
    let port = TestEnvironment.freePort()
    let environment = TestEnvironment.childEnvironment(["BLS_PORT": String(port)])
    #expect(try healthcheck(port: port, environment: environment, in: directory) == 1)
  }

  private func healthcheck(port: Int, environment: [String: String], in directory: URL) throws -> Int32? {
    var environment = environment
    environment["BLS_PORT"] = String(port)
    let check = try ChildProcess(
      TestEnvironment.binary, ["healthcheck", "--timeout", "2"], environment: environment,
      logDirectory: directory, name: "healthcheck-\(UUID().uuidString.prefix(4))")
    return check.waitForExit(seconds: 10)
  }
}
