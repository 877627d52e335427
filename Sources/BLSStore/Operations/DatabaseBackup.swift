import CSQLite

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An online copy of a live database with SQLite's backup API (https://sqlite.org/backup.html),
/// for `bls-fcgi backup` (docs/operations.md, Backup).
///
/// - Consistent: the copy is one snapshot, taken when the backup starts: it holds every
///   transaction committed before, so every event BLS acknowledged before, and nothing half
///   written. The source connection holds one read transaction for the whole copy, so the
///   pages copied in later steps belong to the same snapshot and the backup never restarts.
/// - Online: in WAL mode a reader never blocks the writer, so BLS keeps committing while the
///   copy runs (its WAL grows meanwhile; the checkpointer catches up after). The copy goes in
///   steps of ``pagesPerStep`` pages, reporting progress between steps.
/// - Safe to interrupt: it is written to `destination.tmp`, checked with `PRAGMA
///   integrity_check`, switched to a rollback journal (one self-contained file), synced, and
///   only then renamed to `destination`.
public struct DatabaseBackup: Sendable {
  /// The live database file.
  public let source: String
  /// Where the copy goes.
  public let destination: String
  /// Pages copied per `sqlite3_backup_step`.
  public var pagesPerStep: Int32 = 4096

  /// What was copied.
  public struct Report: Sendable, Equatable {
    public var pages: Int64
    public var bytes: Int64
    /// Rows of `events` in the copy.
    public var events: Int64
  }

  public init(source: String, destination: String) {
    self.source = source
    self.destination = destination
  }

  /// Copies ``source`` to ``destination``; refuses an existing destination unless `overwrite`.
  /// `progress` gets (pages copied, pages in all) after each step.
  public func run(overwrite: Bool, progress: (Int64, Int64) -> Void = { _, _ in }) throws(OperationError)
    -> Report
  {
    if !overwrite && access(destination, F_OK) == 0 {
      throw OperationError(
        code: "destination_exists", message: "\(destination) exists; fix: choose another path, or pass --force")
    }
    if let live = realpath(source, nil) {
      defer { free(live) }
      if let target = realpath(destination, nil) {
        defer { free(target) }
        if strcmp(live, target) == 0 {
          throw OperationError(
            code: "destination_exists", message: "\(destination) is the live database itself; fix: choose another path")
        }
      }
    }
    let temporary = destination + ".tmp"
    for file in [temporary, temporary + "-journal", temporary + "-wal", temporary + "-shm"] { unlink(file) }
    let report: Report
    do throws(OperationError) {
      report = try copy(to: temporary, progress: progress)
      try Self.sync(temporary)
      guard rename(temporary, destination) == 0 else {
        throw OperationError(code: "io", message: "cannot rename \(temporary) to \(destination): \(Self.lastError())")
      }
      Self.syncDirectory(of: destination)
    } catch {
      unlink(temporary)
      throw error
    }
    return report
  }

  private func copy(to temporary: String, progress: (Int64, Int64) -> Void) throws(OperationError) -> Report {
    let from = try DatabaseFile.openForReading(source)
    defer { from.close() }
    try DatabaseFile.beginSnapshot(from)
    let to: SQLiteConnection
    do {
      to = try SQLiteConnection.open(path: temporary, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
    } catch {
      throw OperationError(error, "cannot create \(temporary)")
    }
    defer { to.close() }
    guard let backup = sqlite3_backup_init(to.handle, "main", from.handle, "main") else {
      throw OperationError(
        code: "sqlite", message: "cannot start the backup: \(String(cString: sqlite3_errmsg(to.handle)))")
    }
    var rc: Int32
    repeat {
      rc = sqlite3_backup_step(backup, pagesPerStep)
      let total = Int64(sqlite3_backup_pagecount(backup))
      progress(total - Int64(sqlite3_backup_remaining(backup)), total)
      // Only the destination can be busy (another process opened the .tmp file): wait.
      if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { usleep(10_000) }
    } while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED
    let pages = Int64(sqlite3_backup_pagecount(backup))
    let finish = sqlite3_backup_finish(backup)
    guard rc == SQLITE_DONE, finish == SQLITE_OK else {
      throw OperationError(
        code: "sqlite", message: "backup failed: \(String(cString: sqlite3_errstr(rc == SQLITE_DONE ? finish : rc)))")
    }
    try? from.execute("COMMIT")
    do {
      // The copy carries the source's WAL flag; a backup is better one self-contained file.
      _ = try to.texts("PRAGMA journal_mode = DELETE")
      let check = try to.texts("PRAGMA integrity_check")
      guard check == ["ok"] else {
        throw OperationError(
          code: "integrity", message: "the copy fails integrity_check: \(check.prefix(3).joined(separator: "; "))")
      }
      let events = try to.integer("SELECT count(*) FROM events") ?? 0
      let pageSize = try to.integer("PRAGMA page_size") ?? 4096
      return Report(pages: pages, bytes: pages * pageSize, events: events)
    } catch let error as OperationError {
      throw error
    } catch let error as SQLiteError {
      throw OperationError(error, "checking the copy \(temporary)")
    } catch {
      throw OperationError(code: "sqlite", message: "\(error)")
    }
  }

  static func sync(_ path: String) throws(OperationError) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0, fsync(fd) == 0 else {
      if fd >= 0 { close(fd) }
      throw OperationError(code: "io", message: "cannot sync \(path): \(lastError())")
    }
    close(fd)
  }

  /// Makes a rename durable (best effort: some file systems refuse to sync a directory).
  static func syncDirectory(of path: String) {
    let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
    let fd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_CLOEXEC)
    if fd >= 0 {
      _ = fsync(fd)
      close(fd)
    }
  }

  static func lastError() -> String { String(cString: strerror(errno)) }
}
