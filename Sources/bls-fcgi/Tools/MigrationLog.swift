import BLSStore
import ProcessSupport

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

  /// A handler for ``SQLiteEventStore/Options/migrationProgress``.
  static func handler() -> MigrationProgressHandler {
    let state = Reporter(file: getenv(progressFileVariable).map { String(cString: $0) })
    return { state.report($0) }
  }

  /// The progress display and file; used only on the migrating thread.
  private final class Reporter: @unchecked Sendable {
    let file: String?
    /// The whole migration, for its duration; the current step's display.
    var total: Progress?
    var progress: Progress?
    var step = 0

    init(file: String?) { self.file = file }

    func report(_ state: MigrationProgress) {
      if state.finished {
        progress?.finish(state.rowsDone)
        if let progress { Log.info("migration step \(step) took \(progress.elapsed)") }
        Log.info(
          "migration finished in \(total?.elapsed ?? "0.0 s"): \(Progress.grouped(total?.total ?? 0)) rows read, \(Progress.grouped(state.rowsTotal)) kept"
        )
        write("finished")
        return
      }
      if total == nil {
        Log.info(
          "migrating events.db (\(Progress.grouped(state.rowsTotal)) rows) to the current schema; the server starts when it is done"
        )
        total = Progress("migration", unit: "rows", total: state.rowsTotal)
      }
      if state.stepNumber != step {
        // One display per step: rows and rate where the step counts rows, else the time.
        progress?.finish(progress?.total ?? 0)
        let previous = progress.map { " (step \(step) took \($0.elapsed))" } ?? ""
        step = state.stepNumber
        Log.info("migration step \(state.stepNumber)/\(state.stepCount): \(state.step)\(previous)")
        progress = Progress(
          "migration \(state.stepNumber)/\(state.stepCount) \(state.step)", unit: "rows", total: state.rowsTotal)
      }
      if state.rowsDone > 0 {
        progress?.update(state.rowsDone)
      } else {
        progress?.tick()
      }
      write("step \(state.stepNumber)/\(state.stepCount) rows \(state.rowsDone) at \(MonotonicClock.milliseconds())")
    }

    /// Replaces the file's content (write to a temporary file, rename).
    func write(_ line: String) {
      guard let file else { return }
      let temporary = file + ".tmp"
      let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
      guard fd >= 0 else { return }
      StandardIO.write(line + "\n", to: fd)
      close(fd)
      rename(temporary, file)
    }
  }
}
