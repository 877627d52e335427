import BLSApp
import BLSFastCGI
import Glibc
import ProcessSupport

/// The running stack of `bls-fcgi run`: start, wait until ready, supervise, stop.
struct RunStack {
  let plan: RunPlan
  /// How long the responder and then nginx may take to come up.
  static let startupTimeoutMilliseconds: Int64 = 15000

  /// Runs until a stop signal (returns 0 after a clean stop) or a child's death (returns 1).
  func run() throws(SupervisorError) -> Int32 {
    var supervisor = Supervisor()
    let started = MonotonicClock.milliseconds()
    setenv(ServerBootstrap.supervisorVariable, String(getpid()), 1)
    // The timeout counts from the responder's last migration progress (StartupWatch).
    let watch = StartupWatch(runtimeDirectory: plan.runtimeDirectory, since: started)
    supervisor.responder = try SupervisorChild.spawn(
      name: "responder", path: plan.selfPath, arguments: plan.responderArguments)
    // The responder has its copy; this process needs the secrets no more.
    ProcessEnvironment.scrub(BLSConfiguration.secretVariables)
    if let code = waitUntil(
      &supervisor, since: watch.lastProgress, "the responder's socket",
      { FastCGIListener.isAccepting(unixPath: plan.socketPath) })
    {
      return code
    }
    supervisor.nginx = try SupervisorChild.spawn(
      name: "nginx", path: plan.nginxBinary, arguments: plan.nginxArguments, keeping: ["PATH", "TZ", "LANG"])
    let probe = HealthcheckProbe(host: plan.probeHost, port: plan.port, timeoutMilliseconds: 1000)
    if let code = waitUntil(
      &supervisor, since: watch.lastProgress, "/health through nginx", { probe.check() == .healthy })
    {
      return code
    }
    Log.info(
      "ready: \(plan.listening) in \(MonotonicClock.milliseconds() - started) ms (nginx pid \(supervisor.nginx?.pid ?? 0), responder pid \(supervisor.responder?.pid ?? 0), \(plan.workers) workers)"
    )
    return supervise(&supervisor)
  }

  /// Polls `ready` while watching signals and children. Returns nil once ready, or the exit
  /// code to leave with (a stop signal, a child's death, a timeout).
  private func waitUntil(
    _ supervisor: inout Supervisor, since started: () -> Int64, _ what: String, _ ready: () -> Bool
  ) -> Int32? {
    while !ready() {
      for (child, exit) in supervisor.reap() {
        // A responder that exits 1 at start already printed its one-line reason.
        if !(child.name == "responder" && exit.exitCode == 1) {
          Log.info("\(child.name) \(exit) while starting")
        }
        _ = supervisor.stopAll()
        return 1
      }
      if MonotonicClock.milliseconds() - started() > Self.startupTimeoutMilliseconds {
        Log.info("timed out waiting for \(what)")
        _ = supervisor.stopAll()
        return 1
      }
      let signal = Supervisor.waitForSignal(milliseconds: 10)
      if signal == SIGTERM || signal == SIGINT || signal == SIGQUIT {
        Log.info("\(SignalSet.name(signal)) received while starting: stopping")
        return supervisor.stopAll() ? 0 : 1
      }
    }
    return nil
  }

  /// The steady state: reap children, act on signals.
  private func supervise(_ supervisor: inout Supervisor) -> Int32 {
    while true {
      for (child, exit) in supervisor.reap() {
        Log.info("\(child.name) \(exit) unexpectedly: stopping")
        _ = supervisor.stopAll()
        return 1
      }
      let signal = Supervisor.waitForSignal(milliseconds: 1000)
      switch signal {
      case SIGTERM, SIGINT, SIGQUIT:
        Log.info("\(SignalSet.name(signal)) received: stopping")
        let clean = supervisor.stopAll()
        Log.info(clean ? "stopped cleanly" : "stopped, but the responder did not drain cleanly")
        return clean ? 0 : 1
      case SIGHUP, SIGUSR1:
        // nginx reopens its logs on SIGUSR1; neither reloading nor reopening applies to a
        // configuration read from the environment at start.
        Log.info("\(SignalSet.name(signal)) ignored (configuration is read at start; restart to change it)")
      default:
        break
      }
    }
  }
}
