import Glibc

/// A set of signals a process takes synchronously: each gets a no-op handler and is blocked,
/// then a thread collects them with ``wait()`` or ``wait(milliseconds:)`` and acts as
/// ordinary code (no async-signal-safety limits).
///
/// Why a handler as well as the mask: as a container's PID 1, the kernel drops a signal whose
/// disposition is the default; the no-op handler keeps it deliverable, and it also makes
/// libfcgi (which installs its own handlers only where the disposition is still the default)
/// leave it alone.
public struct SignalSet: Sendable {
  /// The signal numbers, e.g. `[SIGTERM, SIGINT]`.
  public let signals: [Int32]

  public init(_ signals: [Int32]) { self.signals = signals }

  /// Gives every signal a no-op handler and blocks them in the calling thread and, by
  /// inheritance, in every thread it starts later. Call before starting any thread.
  public func block() {
    for signal in signals {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = { _ in }
      sigemptyset(&action.sa_mask)
      action.sa_flags = SA_RESTART
      sigaction(signal, &action, nil)
    }
    var set = sigset
    pthread_sigmask(SIG_BLOCK, &set, nil)
  }

  /// Waits for one of the signals (`sigwait`); returns it.
  public func wait() -> Int32 {
    var set = sigset
    var received: Int32 = 0
    while sigwait(&set, &received) != 0 {}
    return received
  }

  /// Waits up to `milliseconds` for one of the signals (`sigtimedwait`); returns it, or
  /// `nil` on timeout.
  public func wait(milliseconds: Int64) -> Int32? {
    var set = sigset
    var timeout = timespec(tv_sec: Int(milliseconds / 1000), tv_nsec: Int(milliseconds % 1000) * 1_000_000)
    let signal = sigtimedwait(&set, nil, &timeout)
    return signal > 0 ? signal : nil
  }

  /// The signals as a `sigset_t`.
  public var sigset: sigset_t {
    var set = sigset_t()
    sigemptyset(&set)
    for signal in signals { sigaddset(&set, signal) }
    return set
  }

  /// `"SIGTERM"` for SIGTERM, and so on for the signals BLS handles; `"signal N"` otherwise.
  public static func name(_ signal: Int32) -> String {
    switch signal {
    case SIGTERM: "SIGTERM"
    case SIGINT: "SIGINT"
    case SIGQUIT: "SIGQUIT"
    case SIGHUP: "SIGHUP"
    case SIGUSR1: "SIGUSR1"
    case SIGUSR2: "SIGUSR2"
    case SIGCHLD: "SIGCHLD"
    case SIGKILL: "SIGKILL"
    case SIGPIPE: "SIGPIPE"
    default: "signal \(signal)"
    }
  }
}
