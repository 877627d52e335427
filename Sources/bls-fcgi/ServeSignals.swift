import Threads

#if canImport(Glibc)
  import Glibc
#endif

/// How `serve` stops, decided against libfcgi's own signal handling.
///
/// `FCGX_Init` (through `OS_LibInit`) installs handlers for SIGPIPE (a no-op) and SIGUSR1 (a
/// flag that makes libfcgi's own accept loop give up), each only where the disposition is
/// still the default. Neither fits here: the server never uses libfcgi's accept, and a
/// handler-set flag cannot wake threads blocked in `epoll_wait`. So first thing, before
/// `FCGX_Init` and before any thread starts, SIGTERM, SIGINT and SIGUSR1 get a no-op handler
/// (libfcgi then leaves them alone, and as a container's PID 1 they are not dropped) and are
/// blocked in every thread; one waiter thread takes them with `sigwait`, and the stop runs as
/// ordinary code (it wakes the workers through an eventfd). SIGPIPE is ignored by the server.
enum ServeSignals {
  static let stopSignals: [Int32] = [SIGTERM, SIGINT, SIGUSR1]

  /// Gives the stop signals a no-op handler and blocks them in the calling thread and, by
  /// inheritance, in every thread it starts later. Call first thing in `main`.
  static func blockStopSignals() {
    for signal in stopSignals { Supervisor.installNoOpHandler(signal) }
    var set = signalSet()
    pthread_sigmask(SIG_BLOCK, &set, nil)
  }

  /// Starts the waiter thread: `action` runs once per stop signal received, with its name.
  static func onStopSignal(_ action: @escaping @Sendable (String) -> Void) throws {
    let waiter = try PosixThread {
      var set = signalSet()
      while true {
        var received: Int32 = 0
        if sigwait(&set, &received) == 0 { action(name(received)) }
      }
    }
    waiter.detach()
  }

  static func signalSet() -> sigset_t {
    var set = sigset_t()
    sigemptyset(&set)
    for signal in stopSignals { sigaddset(&set, signal) }
    return set
  }

  static func name(_ signal: Int32) -> String {
    switch signal {
    case SIGTERM: "SIGTERM"
    case SIGINT: "SIGINT"
    case SIGUSR1: "SIGUSR1"
    default: "signal \(signal)"
    }
  }
}
