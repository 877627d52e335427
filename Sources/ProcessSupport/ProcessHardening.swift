import CLinux
import Glibc

/// What a process holding secrets does first: no core dumps, no inspection by other
/// processes of the same user.
public enum ProcessHardening {
  /// Marks the process non-dumpable (`prctl(PR_SET_DUMPABLE, 0)`: no core file, no
  /// `ptrace` attach, and `/proc/<pid>/environ` readable by root only — so a web server running
  /// as the same user cannot read the secret key from it) and sets the core-file size limit to
  /// zero. Returns the problems, if any, as text for a warning (none on Linux).
  @discardableResult
  public static func apply() -> [String] {
    var problems: [String] = []
    if bls_set_dumpable(0) != 0 { problems.append("prctl(PR_SET_DUMPABLE, 0): \(SystemError.errno.reason)") }
    var none = rlimit(rlim_cur: 0, rlim_max: 0)
    if setrlimit(Int32(RLIMIT_CORE.rawValue), &none) != 0 {
      problems.append("setrlimit(RLIMIT_CORE, 0): \(SystemError.errno.reason)")
    }
    return problems
  }

  /// Whether the process is dumpable now (for tests and diagnostics).
  public static var isDumpable: Bool { bls_get_dumpable() == 1 }
}
