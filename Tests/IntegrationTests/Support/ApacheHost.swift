import Foundation
import Testing

/// The shared-host Apache setup as a host would build it from the repository's example:
/// `spawn-fcgi` starts `bls-fcgi serve` on a unix socket, and Apache httpd (mod_proxy_fcgi)
/// serves it through nginx/apache-vhost.conf with the JSON error documents of
/// nginx/apache-errors/. Stopped (Apache, then the responder) when released.
final class ApacheHost {
  let fixture: HostFixture
  let install: ApacheInstall
  /// The loopback port Apache listens on.
  var port: Int { fixture.port }
  /// The first responder (`spawn-fcgi -n` runs it in the foreground).
  let responder: ChildProcess
  private let apache: ChildProcess
  /// As root, Apache's children run as `User`, so the socket's group must be theirs.
  private static let account = geteuid() == 0 ? ApacheInstall.unprivilegedAccount : nil

  /// Starts the responder with `extra` environment variables, then Apache; `vhost` may adjust
  /// the example virtual host after the host-specific substitutions.
  init(_ label: String, extra: [String: String] = [:], vhost: (String) -> String = { $0 }) throws {
    install = try #require(ApacheInstall.found)
    fixture = HostFixture(label, extra: extra)
    responder = try Self.spawnResponder(fixture, "spawn-fcgi")
    let directory = fixture.directory
    // What a host does: copy the error documents, adjust port, socket and paths.
    let errors = directory.appendingPathComponent("errors")
    let shipped = TestEnvironment.repositoryRoot.appendingPathComponent("nginx/apache-errors")
    try FileManager.default.createDirectory(at: errors, withIntermediateDirectories: false)
    for name in try FileManager.default.contentsOfDirectory(atPath: shipped.path) {
      try Data(contentsOf: shipped.appendingPathComponent(name)).write(to: errors.appendingPathComponent(name))
    }
    let example = try String(
      contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("nginx/apache-vhost.conf"), encoding: .utf8)
    let virtualHost =
      example
      .replacingOccurrences(of: "<VirtualHost *:80>", with: "<VirtualHost 127.0.0.1:\(fixture.port)>")
      .replacingOccurrences(of: "unix:/run/bls/bls.sock|", with: "unix:\(fixture.socket)|")
      .replacingOccurrences(of: "/etc/bls/errors", with: errors.path)
    for original in ["<VirtualHost *:80>", "unix:/run/bls/bls.sock|", "/etc/bls/errors"] {
      #expect(example.contains(original) && !virtualHost.contains(original), "\(original) not substituted")
    }
    let vhostPath = directory.appendingPathComponent("bls.conf").path
    try vhost(virtualHost).write(toFile: vhostPath, atomically: true, encoding: .utf8)
    let mainPath = directory.appendingPathComponent("httpd.conf").path
    try install.mainConfiguration(
      directory: directory.path, port: fixture.port, account: Self.account, include: vhostPath
    )
    .write(toFile: mainPath, atomically: true, encoding: .utf8)
    apache = try install.start(configuration: mainPath, logDirectory: directory)
    let started = apache
    let port = fixture.port
    try #require(
      ChildProcess.waitUntil(seconds: 10) { (try? HTTPConnection(port: port)) != nil },
      "Apache did not start: \(started.stderr) \(errorLog())")
  }

  deinit {
    ApacheInstall.stop(apache)
    if responder.isRunning {
      responder.signal(SIGTERM)
      _ = responder.waitForExit(seconds: 10)
    }
    fixture.remove()
  }

  /// Apache's error log so far.
  func errorLog() -> String {
    (try? String(contentsOfFile: fixture.directory.path + "/error.log", encoding: .utf8)) ?? ""
  }

  /// Starts a responder on the fixture's socket through `spawn-fcgi` and waits until it serves.
  func startResponder(_ name: String) throws -> ChildProcess { try Self.spawnResponder(fixture, name) }

  private static func spawnResponder(_ fixture: HostFixture, _ name: String) throws -> ChildProcess {
    let owner = account.map { ["-G", $0] } ?? []
    let responder = try ChildProcess(
      "/usr/bin/spawn-fcgi",
      ["-n", "-s", fixture.socket, "-M", "0660"] + owner + ["--", TestEnvironment.binary, "serve", "--workers", "2"],
      environment: fixture.environment, logDirectory: fixture.directory, name: name)
    #expect(ChildProcess.waitUntil(seconds: 10) { responder.stderr.contains("serving on") }, "\(responder.stderr)")
    return responder
  }
}
