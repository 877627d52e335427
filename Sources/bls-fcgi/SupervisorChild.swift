import CFastCGI

#if canImport(Glibc)
  import Glibc
#endif

/// A child process of `bls-fcgi run`: nginx or the responder.
struct SupervisorChild {
  /// `nginx` or `responder`, for log lines.
  let name: String
  let pid: pid_t

  /// Starts `path` with `arguments` (argv[0] included), in its own process group, with
  /// SIGTERM sent to it should the supervisor die (see `bls_spawn_child`). The environment is
  /// this process's, or, when `keeping` is given, only those of its variables (nginx needs
  /// none of BLS's, and so never holds the secret key).
  static func spawn(
    name: String, path: String, arguments: [String], keeping variables: [String]? = nil
  ) throws(SupervisorError) -> SupervisorChild {
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var filtered: [UnsafeMutablePointer<CChar>?] = []
    if let variables {
      let environment = RunPlan.environment
      filtered = variables.compactMap { name in environment[name].map { strdup("\(name)=\($0)") } }
    }
    filtered.append(nil)
    defer { for pointer in filtered { free(pointer) } }
    let pid = path.withCString { path in
      variables == nil
        ? bls_spawn_child(path, &argv, environ, 1, SIGTERM)
        : filtered.withUnsafeMutableBufferPointer { bls_spawn_child(path, &argv, $0.baseAddress, 1, SIGTERM) }
    }
    guard pid > 0 else {
      throw SupervisorError("cannot start \(name) (\(path)): \(String(cString: strerror(errno)))")
    }
    return SupervisorChild(name: name, pid: pid)
  }

  /// Sends `signal` (ignoring a child already gone).
  func send(_ signal: Int32) { _ = kill(pid, signal) }
}

/// A reason `bls-fcgi run` cannot go on: printed as one line, then exit 1.
struct SupervisorError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// How a child ended, from a `waitpid` status.
struct ChildExit: CustomStringConvertible {
  let status: Int32

  var exitCode: Int32? { status & 0x7f == 0 ? (status >> 8) & 0xff : nil }
  var signal: Int32? { status & 0x7f != 0 && status & 0x7f != 0x7f ? status & 0x7f : nil }
  var succeeded: Bool { exitCode == 0 }

  var description: String {
    if let exitCode { return "exited with status \(exitCode)" }
    if let signal { return "was killed by signal \(signal)" }
    return "stopped (status \(status))"
  }
}
