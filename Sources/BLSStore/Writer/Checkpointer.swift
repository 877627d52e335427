import CSQLite
import Glibc
import Synchronization
import Threads

/// Copies the write-ahead log back into the database file on a thread and connection of its
/// own, so the writer never stops committing for a checkpoint.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that crosses the threshold, on the
/// writer: every ~1 000 pages the writer spent several milliseconds copying pages and syncing
/// the database file while every payment waited (bench/run.sh, accept: a third of the p99, and
/// 15 % of the throughput when the interval was raised). Here the writer's WAL hook
/// (`sqlite3_wal_hook`, which replaces the automatic checkpoint) wakes this thread instead,
/// which runs a PASSIVE checkpoint (`sqlite3_wal_checkpoint_v2`: never blocks the writer or
/// readers) while commits go on.
///
/// The log restarts from its beginning only once every frame is copied, which a checkpoint
/// running beside a busy writer never quite reaches. So once a background pass has left at
/// most a quarter of ``threshold`` (or two commits' worth) uncopied, the writer's next hook
/// copies those few frames itself (a short PASSIVE checkpoint on the writer connection;
/// otherwise another background pass runs), and its next transaction restarts the log: the WAL stays near ``threshold``
/// pages instead of growing. Should passes never catch up, the writer copies the rest itself
/// once the log is four intervals long. (As in SQLite, a reader holding an old snapshot open
/// keeps the log from restarting until it ends.)
final class Checkpointer: @unchecked Sendable {
  /// WAL pages after a commit that trigger a checkpoint (SQLite's default interval).
  let threshold: Int32
  private let db: SQLiteConnection
  private struct State {
    var requested = false
    var running = false
    /// Frames the last background pass copied, while `hasPass` (until the log restarts).
    var backfilled: Int32 = 0
    var hasPass = false
    /// The log's size at the previous commit, to know what one commit adds.
    var lastFrames: Int32 = 0
    var stopping = false
    var passes = 0
    var tails = 0
  }

  /// What the writer should do after a commit.
  private enum Decision {
    case nothing
    /// Copy the few frames left on the writer connection.
    case copyTail
    /// Wake the background thread for a pass.
    case requestPass
  }

  private let state = Locked(State())
  private let thread = Mutex<PosixThread?>(nil)

  /// Opens a connection of its own to `path` and starts the thread; installs the WAL hook on
  /// `writer` (whose automatic checkpoint it replaces).
  init(path: String, writer: SQLiteConnection, threshold: Int32 = 1000, busyTimeout: Int32) throws(SQLiteError) {
    self.threshold = max(1, threshold)
    db = try SQLiteConnection.open(path: path, flags: SQLITE_OPEN_READWRITE)
    db.setBusyTimeout(milliseconds: busyTimeout)
    // A connection learns the file is in WAL mode on its first read; until then a checkpoint
    // through it does nothing (and reports -1 frames).
    _ = try db.texts("PRAGMA journal_mode")
    let started = PosixThread.essential { [unowned self] in self.run() }
    thread.withLock { $0 = started }
    sqlite3_wal_hook(
      writer.handle,
      { context, writer, _, frames in
        Unmanaged<Checkpointer>.fromOpaque(context!).takeUnretainedValue().committed(frames: frames, writer: writer)
        return SQLITE_OK
      }, Unmanaged.passUnretained(self).toOpaque())
  }

  /// Passes run in the background, and tails copied by the writer, since open.
  var counts: (passes: Int, tails: Int) { state.withLock { ($0.passes, $0.tails) } }

  /// Called by the writer after each commit with the log's size in pages.
  private func committed(frames: Int32, writer: OpaquePointer?) {
    let decision = state.withLock { state -> Decision in
      // A smaller log has restarted since the last pass, which then says nothing about it.
      if frames < state.lastFrames { state.hasPass = false }
      let added = frames >= state.lastFrames ? frames - state.lastFrames : frames
      state.lastFrames = frames
      if frames < threshold || state.running || state.requested || state.stopping { return .nothing }
      // Small enough to copy on the writer: a quarter of the interval, or what two commits add.
      let tailLimit = max(threshold / 4, 2 * added)
      let caughtUp = state.hasPass && frames >= state.backfilled && frames - state.backfilled <= tailLimit
      // At four intervals the writer copies whatever is left even so: background passes that
      // never catch up (a slow disk under sustained load) must not let the log grow unbounded.
      if caughtUp || Int(frames) >= 4 * Int(threshold) {
        state.hasPass = false
        state.tails += 1
        return .copyTail
      }
      state.requested = true
      return .requestPass
    }
    switch decision {
    case .nothing: break
    case .copyTail:
      // Usually only the few frames committed during the background pass are left to copy;
      // once they are, the writer's next transaction restarts the log.
      sqlite3_wal_checkpoint_v2(writer, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
    case .requestPass:
      state.wakeWaiters()
    }
  }

  private func run() {
    while true {
      let stop = state.wait(until: { $0.requested || $0.stopping }) { state -> Bool in
        guard !state.stopping else { return true }
        state.requested = false
        state.running = true
        return false
      }
      if stop { return }
      var copied: Int32 = 0
      let rc = sqlite3_wal_checkpoint_v2(db.handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, &copied)
      state.withLock { state in
        state.running = false
        state.passes += 1
        state.hasPass = rc == SQLITE_OK && copied > 0
        state.backfilled = copied
      }
    }
  }

  /// Stops the thread (after any pass in progress) and closes its connection. Call before
  /// the writer connection closes, and after its last commit.
  func shutdown(writer: SQLiteConnection) {
    state.withLock { $0.stopping = true }
    state.wakeWaiters()
    thread.withLock { thread in
      thread?.join()
      thread = nil
    }
    sqlite3_wal_hook(writer.handle, nil, nil)
    db.close()
  }
}
