import ProcessSupport
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
  static let stopSignals = SignalSet([SIGTERM, SIGINT, SIGUSR1])

  /// Blocks the stop signals (see ``SignalSet/block()``). Call first thing in `run()`.
  static func blockStopSignals() { stopSignals.block() }

  /// Starts the waiter thread: `action` runs once per stop signal received, with its name.
  static func onStopSignal(_ action: @escaping @Sendable (String) -> Void) throws {
    let waiter = try PosixThread {
      while true { action(SignalSet.name(stopSignals.wait())) }
    }
    waiter.detach()
  }
}
