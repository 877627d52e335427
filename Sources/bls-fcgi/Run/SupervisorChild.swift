import Glibc
import ProcessSupport

/// A child process of `bls-fcgi run`: nginx or the responder.
struct SupervisorChild {
  /// `nginx` or `responder`, for log lines.
  let name: String
  let process: ChildProcess

  var pid: pid_t { process.pid }

  /// Starts `path` with `arguments` (argv[0] included), in its own process group, with
  /// SIGTERM sent to it should the supervisor die (see `bls_spawn_child`). The environment is
  /// this process's, or, when `keeping` is given, only those of its variables (nginx needs
  /// none of BLS's, and so never holds the secret key).
  static func spawn(
    name: String, path: String, arguments: [String], keeping variables: [String]? = nil
  ) throws(SupervisorError) -> SupervisorChild {
    let environment = variables.map { names in ProcessEnvironment.variables.filter { names.contains($0.key) } }
    do {
      let process = try ChildProcess.spawn(
        path: path, arguments: arguments, environment: environment, ownProcessGroup: true,
        parentDeathSignal: SIGTERM)
      return SupervisorChild(name: name, process: process)
    } catch {
      throw SupervisorError("cannot start \(name) (\(path)): \(error.reason)")
    }
  }

  /// Sends `signal` (ignoring a child already gone).
  func send(_ signal: Int32) { process.send(signal) }
}

/// A reason `bls-fcgi run` cannot go on: printed as one line, then exit 1.
struct SupervisorError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
