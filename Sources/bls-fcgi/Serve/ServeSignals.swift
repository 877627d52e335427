import Glibc
import ProcessSupport
import Threads

/// How `serve` stops: SIGTERM, SIGINT and SIGQUIT start a drain. SIGUSR1 is left alone: the
/// Swift runtime's crash handler uses it to stop the other threads for a backtrace, so a
/// crash ends the process at once (blocking it once made a crashed responder sit ~30 s
/// with its socket gone before dying, its supervisor none the wiser).
///
/// A handler-set flag cannot wake threads blocked in `epoll_wait`, so the stop runs as
/// ordinary code instead: first thing, before any thread starts, the three get a no-op
/// handler (as a container's PID 1 they are then not dropped) and are blocked in every
/// thread; one waiter thread takes them with `sigwait` and stops the server, which wakes its
/// workers through an eventfd. SIGPIPE is ignored by the server.
enum ServeSignals {
  static let stopSignals = SignalSet([SIGTERM, SIGINT, SIGQUIT])

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
