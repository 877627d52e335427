import BLSTestSupport
import Foundation

/// What a shared-host test starts from: a temporary directory holding the database and the
/// responder's socket, a free port for the web server, and the responder's environment (the
/// `defaults` payment profile, `DATA_DIR` in that directory).
struct HostFixture {
  let directory: URL
  let socket: String
  let port: Int
  let environment: [String: String]

  init(_ label: String, extra: [String: String] = [:]) {
    directory = TestEnvironment.temporaryDirectory(label)
    socket = directory.appendingPathComponent("bls.sock").path
    port = TestEnvironment.freePort()
    var variables = PaymentCase.environment(profile: "defaults").merging(extra) { _, new in new }
    variables["DATA_DIR"] = directory.path
    environment = TestEnvironment.childEnvironment(variables)
  }

  func remove() { try? FileManager.default.removeItem(at: directory) }
}
