import BLSTestSupport
import Foundation
import JSON
import Testing

/// The shared-host setup: `spawn-fcgi` starts `bls-fcgi serve` on a unix socket (the
/// responder accepts on the socket it inherits on fd 0), and a host's nginx serves the
/// contract through the example server block shipped as nginx/shared-host.conf.
@Suite("shared host: spawn-fcgi and the example server block")
struct SharedHostTests {
  @Test("the contract through a host-style nginx and a spawn-fcgi responder")
  func sharedHost() throws {
    let fixture = HostFixture("shared")
    defer { fixture.remove() }
    let (directory, socket, port, environment) = (fixture.directory, fixture.socket, fixture.port, fixture.environment)

    let responder = try ChildProcess(
      "/usr/bin/spawn-fcgi",
      ["-n", "-s", socket, "-M", "0660", "--", TestEnvironment.binary, "serve", "--workers", "2"],
      environment: environment, logDirectory: directory, name: "spawn-fcgi")
    #expect(ChildProcess.waitUntil(seconds: 10) { responder.stderr.contains("serving on") }, "\(responder.stderr)")
    #expect(responder.stderr.contains("inherited fd 0 (unix:\(socket))"), "\(responder.stderr)")

    let example = try String(
      contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("nginx/shared-host.conf"), encoding: .utf8)
    let serverBlock =
      example
      .replacingOccurrences(of: "listen 80;", with: "listen 127.0.0.1:\(port);")
      .replacingOccurrences(of: "unix:/run/bls/bls.sock", with: "unix:\(socket)")
      .replacingOccurrences(of: "include fastcgi_params;", with: "include /etc/nginx/fastcgi_params;")
    #expect(serverBlock != example)
    try serverBlock.write(to: directory.appendingPathComponent("bls.conf"), atomically: true, encoding: .utf8)
    let temp = directory.path
    let main = """
      \(geteuid() == 0 ? "user root;" : "")
      daemon off;
      pid \(temp)/nginx.pid;
      error_log stderr warn;
      events { worker_connections 256; }
      http {
        access_log off;
        client_body_temp_path \(temp)/body;
        fastcgi_temp_path \(temp)/fastcgi;
        proxy_temp_path \(temp)/proxy;
        uwsgi_temp_path \(temp)/uwsgi;
        scgi_temp_path \(temp)/scgi;
        include \(temp)/bls.conf;
      }
      """
    let mainPath = directory.appendingPathComponent("nginx.conf").path
    try main.write(toFile: mainPath, atomically: true, encoding: .utf8)
    let nginx = try ChildProcess(
      TestEnvironment.nginx, ["-p", temp + "/", "-c", mainPath, "-e", "stderr"], environment: environment,
      logDirectory: directory, name: "nginx")
    defer {
      nginx.signal(SIGQUIT)
      _ = nginx.waitForExit(seconds: 5)
    }
    #expect(ChildProcess.waitUntil(seconds: 10) { (try? HTTPConnection(port: port)) != nil }, "\(nginx.stderr)")

    var connection = try HTTPConnection(port: port)
    let health = try connection.request("GET", "/health")
    #expect(health.status == 200)
    #expect(health.json?["status"] == "healthy")
    for testCase in PaymentCase.cases(profile: "defaults") {
      if connection.isClosed { connection = try HTTPConnection(port: port) }
      let (answer, problems) = try testCase.run(on: connection)
      #expect(problems.contains { $0.isEmpty }, "\(testCase.id): \(problems) — \(answer.text)")
    }
    let tooLarge = try HTTPConnection(port: port).request(
      "POST", "/handle-payment", body: [UInt8](repeating: 0x20, count: 103769))
    #expect(tooLarge.status == 413)
    #expect(tooLarge.json?["code"] == "F00")

    // SIGTERM to the responder: it drains and exits 0; nginx then answers JSON 502.
    responder.signal(SIGTERM)
    #expect(responder.waitForExit(seconds: 10) == 0, "\(responder.stderr)")
    let down = try HTTPConnection(port: port).request("GET", "/health")
    #expect(down.status == 502)
    #expect(down.json?["code"] == "T00")
  }
}
