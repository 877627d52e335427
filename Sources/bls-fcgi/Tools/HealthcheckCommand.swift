import ArgumentParser
import BLSApp
import Glibc

/// `bls-fcgi healthcheck`: the image's HEALTHCHECK. GETs `/health` through nginx on
/// `BLS_PORT`, so it fails when nginx, the responder or the store is down.
struct HealthcheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "healthcheck",
    abstract: "Exit 0 if GET http://127.0.0.1:$BLS_PORT/health answers 200 with \"status\":\"healthy\".",
    discussion: """
      Needs no curl or wget. Prints one line saying what it saw; exits 1 for anything but a \
      healthy answer (refused, timed out, non-200, or a body without "status":"healthy").
      """)

  @Option(name: .long, help: "Address to ask (IPv4).")
  var host: String = "127.0.0.1"

  @Option(name: .long, help: "Port to ask (default: BLS_PORT, else 3100).")
  var port: Int?

  @Option(name: .long, help: "Seconds to wait for the answer.")
  var timeout: Double = 3

  func run() throws {
    let port: Int
    if let explicit = self.port {
      port = explicit
    } else {
      do {
        port = try Self.portFromEnvironment()
      } catch {
        print(error.description)
        throw ExitCode(1)
      }
    }
    guard (1...65535).contains(port) else {
      print("ERROR: port must be 1 to 65535, got \(port)")
      throw ExitCode(1)
    }
    let probe = HealthcheckProbe(host: host, port: port, timeoutMilliseconds: max(1, Int(timeout * 1000)))
    switch probe.check() {
    case .healthy:
      print("healthy: http://\(host):\(port)/health")
    case .unhealthy(let status, let reason):
      print("unhealthy: http://\(host):\(port)/health answered \(status): \(reason)")
      throw ExitCode(1)
    case .unreachable(let reason):
      print("unhealthy: \(reason)")
      throw ExitCode(1)
    }
  }

  /// `BLS_PORT` (or `BLS_PORT_FILE`) as the configuration reads it; 3100 when unset.
  static func portFromEnvironment() throws(ConfigurationError) -> Int {
    guard let (value, source) = try Environment.process.value("BLS_PORT") else { return 3100 }
    guard value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let port = Int(value), (1...65535).contains(port) else {
      throw ConfigurationError(variable: source, rule: "must be an integer from 1 to 65535, got \"\(value)\"")
    }
    return port
  }
}
