import BLSStore
import ProcessSupport
import Threads

#if canImport(Glibc)
  import Glibc
#endif

/// Reports a schema migration at open (adopting a reference file) as ``Progress`` on
/// standard error — a bar on a terminal, a line every 5 s otherwise — and, when
/// ``progressFileVariable`` names a file (`run` sets it for its responder), writes each report
/// there too: `run` counts its start-up timeout from the file's last change, so it waits for
/// a responder that is migrating and gives up only on one that makes no progress.
enum MigrationLog {
  /// The environment variable naming the progress file.
  static let progressFileVariable = "BLS_PROGRESS_FILE"
  /// Longest silence of the progress file while a migration runs: `run` gives up on a
  /// responder whose file does not change for 15 s (``RunStack/startupTimeoutMilliseconds``).
  static let heartbeatMilliseconds = 2000

  /// A handler for ``SQLiteEventStore/Options/migrationProgress``, writing to `file` (by
  /// default the one ``progressFileVariable`` names, if any).
  static func handler(
    file: String? = getenv(progressFileVariable).map { String(cString: $0) },
    heartbeatMilliseconds: Int = heartbeatMilliseconds
  ) -> MigrationProgressHandler {
    let reporter = Reporter(file: file, heartbeatMilliseconds: heartbeatMilliseconds)
    return { reporter.report($0) }
  }

  /// The progress display and file, and the heartbeat.
  ///
  /// SQLite reports progress only between the instructions of its virtual machine, and some
  /// single instructions are long: the `fdatasync` of a `COMMIT` that writes gigabytes (the
  /// kernel may hold ~10 % of memory dirty before it starts writing back), the `DROP` of a
  /// large table. So while a migration runs, a thread of its own shows that the process is
  /// alive — the display's "working" line, a new line in the file — whenever the migration
  /// itself has said nothing for ``heartbeatMilliseconds``: `run` then never stops a responder
  /// in the middle of a long migration (which would roll it back, and start it again at the
  /// next start). A responder that dies, or never starts migrating, is still given up on.
  final class Reporter: @unchecked Sendable {
    let file: String?
    let heartbeat: Int

    private struct State {
      /// The whole migration, for its duration; the current step's display.
      var total: Progress?
      var progress: Progress?
      var step = 0
      var last: MigrationProgress?
      /// When the file was last written (monotonic ms); whether the heartbeat runs.
      var lastWrite: Int64 = 0
      var beating = false
      /// Which heartbeat thread is the current one (a later migration starts its own).
      var generation = 0
    }
    private let state = Locked(State())

    init(file: String?, heartbeatMilliseconds: Int) {
      self.file = file
      heartbeat = max(1, heartbeatMilliseconds)
    }

    func report(_ update: MigrationProgress) {
      let generation = state.withLock { state -> Int? in
        apply(update, to: &state)
        guard !update.finished, !state.beating else {
          if update.finished { state.beating = false }
          return nil
        }
        state.beating = true
        state.generation += 1
        return state.generation
      }
      if update.finished { state.wakeWaiters() }
      guard let generation else { return }
      // Weakly held: a migration that fails (no "finished") ends the heartbeat with the
      // handler that owns this reporter.
      let thread = try? PosixThread { [weak self] in
        while let reporter = self, reporter.beat(generation) {}
      }
      thread?.detach()
    }

    /// Waits up to one heartbeat; then, if the migration is still running and has said
    /// nothing since, shows it is alive. Returns whether to go on.
    private func beat(_ generation: Int) -> Bool {
      state.wait(until: { !$0.beating || $0.generation != generation }, timeoutMilliseconds: heartbeat) {
        state, stopped in
        guard !stopped, let last = state.last else { return false }
        if MonotonicClock.milliseconds() - state.lastWrite >= Int64(heartbeat) {
          state.progress?.tick()
          write(last, &state)
        }
        return true
      }
    }

    private func apply(_ update: MigrationProgress, to state: inout State) {
      state.last = update
      if update.finished {
        state.progress?.finish(update.rowsDone)
        if let progress = state.progress { Log.info("migration step \(state.step) took \(progress.elapsed)") }
        Log.info(
          "migration finished in \(state.total?.elapsed ?? "0.0 s"): \(Progress.grouped(state.total?.total ?? 0)) rows read, \(Progress.grouped(update.rowsTotal)) kept"
        )
        write(update, &state)
        return
      }
      if state.total == nil {
        Log.info(
          "migrating events.db (\(Progress.grouped(update.rowsTotal)) rows) to the current schema; the server starts when it is done"
        )
        state.total = Progress("migration", unit: "rows", total: update.rowsTotal)
      }
      if update.stepNumber != state.step {
        // One display per step: rows and rate where the step counts rows, else the time.
        state.progress?.finish(state.progress?.total ?? 0)
        let previous = state.progress.map { " (step \(state.step) took \($0.elapsed))" } ?? ""
        state.step = update.stepNumber
        Log.info("migration step \(update.stepNumber)/\(update.stepCount): \(update.step)\(previous)")
        state.progress = Progress(
          "migration \(update.stepNumber)/\(update.stepCount) \(update.step)", unit: "rows", total: update.rowsTotal)
      }
      if update.rowsDone > 0 {
        state.progress?.update(update.rowsDone)
      } else {
        state.progress?.tick()
      }
      write(update, &state)
    }

    /// Replaces the file's content (write to a temporary file, rename). The line names the
    /// time, so each write changes it.
    private func write(_ update: MigrationProgress, _ state: inout State) {
      state.lastWrite = MonotonicClock.milliseconds()
      guard let file else { return }
      let line =
        update.finished
        ? "finished"
        : "step \(update.stepNumber)/\(update.stepCount) rows \(update.rowsDone) at \(state.lastWrite)"
      let temporary = file + ".tmp"
      let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
      guard fd >= 0 else { return }
      StandardIO.write(line + "\n", to: fd)
      close(fd)
      rename(temporary, file)
    }
  }
}
