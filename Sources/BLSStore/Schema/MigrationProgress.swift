import CSQLite

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where a schema migration stands, reported while it runs (``SQLiteEventStore/Options/migrationProgress``)
/// so a long one — adopting a large reference file — is visibly alive.
public struct MigrationProgress: Sendable, Equatable {
  /// What is being done, e.g. `"indexing tags"`.
  public var step: String
  /// 1-based number of the step, and how many there are.
  public var stepNumber: Int
  public var stepCount: Int
  /// Rows of `events` processed so far in this step, when the step counts them (else 0).
  public var rowsDone: Int64
  /// Rows of `events` when the migration started, or after the last step that deleted some.
  public var rowsTotal: Int64
  /// `true` once the whole migration has committed.
  public var finished: Bool

  public init(
    step: String, stepNumber: Int, stepCount: Int, rowsDone: Int64, rowsTotal: Int64, finished: Bool
  ) {
    self.step = step
    self.stepNumber = stepNumber
    self.stepCount = stepCount
    self.rowsDone = rowsDone
    self.rowsTotal = rowsTotal
    self.finished = finished
  }
}

/// Receives ``MigrationProgress`` on the migrating thread: at each step's start, at most every
/// ``MigrationMonitor/interval`` while one runs, and once at the end.
public typealias MigrationProgressHandler = @Sendable (MigrationProgress) -> Void

/// Watches one migration on one connection: a SQL function counting the rows a step scans, and
/// SQLite's progress handler as a heartbeat inside long statements (a sort, an index build).
/// Both call ``report()``, which passes the state on at most every ``interval``.
final class MigrationMonitor {
  /// Least time between two reports inside a step.
  static let interval: Int64 = 250

  private let handler: MigrationProgressHandler
  private let db: SQLiteConnection
  private(set) var progress: MigrationProgress
  private var lastReport: Int64 = 0

  init(db: SQLiteConnection, rowsTotal: Int64, stepCount: Int, handler: @escaping MigrationProgressHandler) {
    self.db = db
    self.handler = handler
    progress = MigrationProgress(
      step: "", stepNumber: 0, stepCount: stepCount, rowsDone: 0, rowsTotal: rowsTotal, finished: false)
  }

  /// Installs the row counter (``Schema/rowCounterFunction``) and the heartbeat.
  func install() {
    let context = Unmanaged.passUnretained(self).toOpaque()
    sqlite3_create_function_v2(
      db.handle, Schema.rowCounterFunction, 1, SQLITE_UTF8, context,
      { context, _, _ in
        let monitor = Unmanaged<MigrationMonitor>.fromOpaque(sqlite3_user_data(context)).takeUnretainedValue()
        monitor.progress.rowsDone += 1
        if monitor.progress.rowsDone & 1023 == 0 { monitor.tick() }
        sqlite3_result_int(context, 1)
      }, nil, nil, nil)
    // About every millisecond of VM work: cheap, and frequent enough for a 250 ms report.
    sqlite3_progress_handler(
      db.handle, 200_000,
      { context in
        Unmanaged<MigrationMonitor>.fromOpaque(context!).takeUnretainedValue().tick()
        return 0
      }, context)
  }

  /// Removes both hooks; call before the monitor goes away.
  func uninstall() {
    sqlite3_progress_handler(db.handle, 0, nil, nil)
    sqlite3_create_function_v2(db.handle, Schema.rowCounterFunction, 1, SQLITE_UTF8, nil, nil, nil, nil, nil)
  }

  func begin(step: String, number: Int) {
    progress.step = step
    progress.stepNumber = number
    progress.rowsDone = 0
    report()
  }

  /// Rows of `events` now (after a step deleted some).
  func setTotal(_ rows: Int64) { progress.rowsTotal = rows }

  /// Reports the step's final count.
  func endStep() { report() }

  func finish() {
    progress.finished = true
    report()
  }

  private func tick() {
    if Self.now() - lastReport >= Self.interval { report() }
  }

  private func report() {
    lastReport = Self.now()
    handler(progress)
  }

  static func now() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
  }
}
