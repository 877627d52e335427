import CLinux
import Glibc

/// A child process started with fork and exec (see `bls_spawn_child` in CLinux for what
/// happens in between).
public struct ChildProcess: Sendable {
  /// Its process id.
  public let pid: pid_t

  /// Starts `path` with `arguments` (argv[0] included).
  ///
  /// - Parameters:
  ///   - environment: the child's environment; `nil` passes this process's own.
  ///   - ownProcessGroup: the child leads a process group of its own (a terminal's Ctrl-C
  ///     then reaches only this process, which stops its children in its own order).
  ///   - parentDeathSignal: sent to the child should this process die (0: none).
  public static func spawn(
    path: String, arguments: [String], environment: [String: String]? = nil, ownProcessGroup: Bool = false,
    parentDeathSignal: Int32 = 0
  ) throws(SystemError) -> ChildProcess {
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var envp: [UnsafeMutablePointer<CChar>?] = (environment ?? [:]).map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for pointer in envp { free(pointer) } }
    let group: Int32 = ownProcessGroup ? 1 : 0
    let pid = path.withCString { path in
      environment == nil
        ? bls_spawn_child(path, &argv, environ, group, parentDeathSignal)
        : envp.withUnsafeMutableBufferPointer {
          bls_spawn_child(path, &argv, $0.baseAddress, group, parentDeathSignal)
        }
    }
    guard pid > 0 else { throw .errno }
    return ChildProcess(pid: pid)
  }

  /// Sends `signal` (ignoring a child already gone).
  public func send(_ signal: Int32) { _ = kill(pid, signal) }

  /// Sends `signal` to the child's whole process group; returns whether any process got it.
  @discardableResult
  public func sendToGroup(_ signal: Int32) -> Bool { kill(-pid, signal) == 0 }

  /// Reaps one exited child of this process without waiting (`waitpid(-1, WNOHANG)`): its
  /// pid and how it ended, or `nil` when none has exited.
  public static func reapAny() -> (pid: pid_t, exit: ChildExit)? {
    var status: Int32 = 0
    let pid = waitpid(-1, &status, WNOHANG)
    return pid > 0 ? (pid, ChildExit(status: status)) : nil
  }
}
