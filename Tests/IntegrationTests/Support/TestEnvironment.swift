import BLSTestSupport
import Foundation
import JSON

/// Paths the integration tests need: the repository, the built `bls-fcgi`.
enum TestEnvironment {
  /// The repository root (the directory holding Package.swift above the tests).
  static var repositoryRoot: URL { Fixtures.repositoryRoot }

  /// The `bls-fcgi` executable: `$BLS_FCGI_BINARY`, else the one built beside this test
  /// bundle (`swift build --build-tests` builds both).
  static let binary: String = {
    if let path = ProcessInfo.processInfo.environment["BLS_FCGI_BINARY"] { return path }
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var directory = executable.deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("bls-fcgi").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      directory.deleteLastPathComponent()
    }
    fatalError(
      "bls-fcgi not found beside \(executable.path): run `swift build --build-tests` first or set BLS_FCGI_BINARY")
  }()

  /// The nginx binary: `$BLS_NGINX`, else /usr/sbin/nginx.
  static let nginx: String = ProcessInfo.processInfo.environment["BLS_NGINX"] ?? "/usr/sbin/nginx"

  /// A fresh directory under /tmp with a short path (unix socket paths are limited to 107
  /// bytes), removed by the caller.
  static func temporaryDirectory(_ label: String) -> URL {
    let path = "/tmp/bls-it-\(label)-\(UUID().uuidString.prefix(8))"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return URL(fileURLWithPath: path)
  }

  /// A loopback TCP port nobody listens on right now (bound to port 0, then released).
  static func freePort() -> Int { LoopbackPort.free() }

  /// Environment for a child: PATH and friends from this process, plus `variables`.
  static func childEnvironment(_ variables: [String: String]) -> [String: String] {
    var environment: [String: String] = [:]
    for name in ["PATH", "HOME", "LANG", "TMPDIR"] {
      if let value = ProcessInfo.processInfo.environment[name] { environment[name] = value }
    }
    environment.merge(variables) { _, new in new }
    return environment
  }
}
