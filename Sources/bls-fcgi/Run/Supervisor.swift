import Glibc
import ProcessSupport

/// The foreground process of `bls-fcgi run` (PID 1 in the container): starts the responder,
/// then nginx, waits for signals and child exits, reaps every child (orphans included, as an
/// init must), and stops both in order.
///
/// Stop order on SIGTERM/SIGINT/SIGQUIT: nginx first with SIGQUIT (it stops accepting and
/// finishes the requests it is proxying, which need the responder), then the responder with
/// SIGTERM (it answers what it has, checkpoints the WAL and closes the database). The whole
/// stop stays within ``stopBudgetMilliseconds``, under Docker's 10 s grace period; a child
/// still running at its deadline is killed.
struct Supervisor {
  static let stopBudgetMilliseconds: Int64 = 9000
  /// Signals the supervisor handles synchronously with `sigtimedwait` (blocked otherwise).
  static let handledSignals = SignalSet([SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2, SIGCHLD])

  var responder: SupervisorChild?
  var nginx: SupervisorChild?

  /// Blocks the handled signals, after giving each a no-op handler (see
  /// ``SignalSet/block()``). Children get default dispositions and a clean mask (see
  /// `bls_spawn_child`).
  static func blockSignals() { handledSignals.block() }

  /// Waits up to `milliseconds` for a handled signal; returns it, or 0 on timeout.
  static func waitForSignal(milliseconds: Int64) -> Int32 {
    handledSignals.wait(milliseconds: milliseconds) ?? 0
  }

  /// Exit statuses of supervised children reaped but not yet reported.
  private var exits: [pid_t: ChildExit] = [:]

  /// Reaps every exited child, supervised or not (orphans re-parented to PID 1), keeping
  /// the supervised ones' statuses.
  private mutating func reapAll() {
    while let (pid, exit) = ChildProcess.reapAny() {
      if pid == responder?.pid || pid == nginx?.pid { exits[pid] = exit }
    }
  }

  /// Children that died unexpectedly, whose process groups ``stopAll()`` still clears.
  private var lost: [SupervisorChild] = []

  /// Reaps; returns the supervised children that exited (and forgets them).
  mutating func reap() -> [(SupervisorChild, ChildExit)] {
    reapAll()
    var exited: [(SupervisorChild, ChildExit)] = []
    if let child = responder, let exit = exits.removeValue(forKey: child.pid) {
      exited.append((child, exit))
      responder = nil
    }
    if let child = nginx, let exit = exits.removeValue(forKey: child.pid) {
      exited.append((child, exit))
      nginx = nil
    }
    lost += exited.map(\.0)
    return exited
  }

  /// Kills whatever is left in `child`'s process group: nginx workers outlive a master that
  /// was killed, and would keep the port open.
  private func killGroup(of child: SupervisorChild) {
    if child.process.sendToGroup(SIGKILL) {
      Log.info("killed what was left of \(child.name)'s process group")
    }
  }

  /// Stops nginx, then the responder, within the budget. Returns whether the responder
  /// drained and exited 0.
  mutating func stopAll() -> Bool {
    let deadline = MonotonicClock.milliseconds() + Self.stopBudgetMilliseconds
    if let nginx {
      Log.info("stopping nginx gracefully (SIGQUIT)")
      nginx.send(SIGQUIT)
      let nginxDeadline = min(deadline - 2500, MonotonicClock.milliseconds() + 6000)
      let exit = waitFor(nginx, until: nginxDeadline) ?? forceStop(nginx, until: nginxDeadline + 500)
      if let exit, !exit.succeeded { Log.info("nginx \(exit)") }
      killGroup(of: nginx)
      self.nginx = nil
    }
    for child in lost where child.name == "nginx" { killGroup(of: child) }
    lost.removeAll()
    guard let responder else { return true }
    Log.info("stopping the responder (SIGTERM): draining requests, checkpointing the database")
    responder.send(SIGTERM)
    let exit = waitFor(responder, until: deadline) ?? forceStop(responder, until: deadline + 500)
    self.responder = nil
    guard let exit else { return false }
    if !exit.succeeded { Log.info("responder \(exit)") }
    return exit.succeeded
  }

  /// Waits until `child` exits or `deadline` passes, reaping other children meanwhile.
  private mutating func waitFor(_ child: SupervisorChild, until deadline: Int64) -> ChildExit? {
    while true {
      reapAll()
      if let exit = exits.removeValue(forKey: child.pid) { return exit }
      let now = MonotonicClock.milliseconds()
      if now >= deadline { return nil }
      _ = Self.waitForSignal(milliseconds: min(50, deadline - now))
    }
  }

  /// Kills `child`, which missed its deadline, and waits briefly for it.
  private mutating func forceStop(_ child: SupervisorChild, until deadline: Int64) -> ChildExit? {
    Log.info("\(child.name) did not stop in time; sending SIGKILL")
    child.send(SIGKILL)
    return waitFor(child, until: deadline)
  }
}
