import Glibc
import ProcessSupport

/// One process at a time writes a SQLite database: an exclusive `flock(2)` on
/// `events.db-lock` beside the file, held from before the store opens (and migrates) the
/// file until it closes.
///
/// The store relies on owning its file while it runs: its group commit is the only writer, and
/// it answers "is this deleted?" from memory until its own writer records a deletion. A second
/// server, an `import` or a `migrate` on the same file would break that (or stall payments on
/// SQLite's write lock), so each is refused at open with one line naming the holder's pid.
/// Readers that never write — `export`, `backup`, `copy --from` — take no lock and run beside a
/// server. The kernel drops the lock when the holder exits, however it exits, so a crash
/// never leaves a stale lock behind.
///
/// A separate file, never the database itself: closing any descriptor of a file releases the
/// POSIX (`fcntl`) locks SQLite holds on it in this process.
final class DatabaseLock {
  /// The lock file's name: the database's, with this suffix (as SQLite names `-wal`, `-shm`).
  static let suffix = "-lock"

  private var descriptor: Int32

  /// Takes the lock for `databasePath`, or throws `database_in_use` if another process (or
  /// another open store of this process) holds it.
  init(databasePath: String) throws(StoreOpenError) {
    let path = databasePath + Self.suffix
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else {
      throw .unusable(
        path, code: "database_not_writable", problem: "cannot be created or opened",
        reason: SystemError.errno.reason, andDirectory: true)
    }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      let reason = errno == EWOULDBLOCK ? nil : SystemError.errno.reason
      let holder = Self.holder(fd)
      close(fd)
      if let reason {
        throw StoreOpenError(code: "database_not_writable", message: "\(path) cannot be locked (\(reason))")
      }
      throw StoreOpenError(
        code: "database_in_use",
        message:
          "\(databasePath) is in use by \(holder.map { "process \($0)" } ?? "another process") (a running BLS, an import or a migrate); fix: stop it first — or, to read while it runs, use export or backup"
      )
    }
    // The holder's pid, for the message above (advice only: the lock is the flock).
    let pid = Array("\(getpid())\n".utf8)
    if ftruncate(fd, 0) == 0 { _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } }
    descriptor = fd
  }

  /// The pid the holder wrote, if it names a live process (a holder that is not BLS, e.g.
  /// `flock(1)`, writes none; one killed left its own, which names no process).
  private static func holder(_ fd: Int32) -> Int32? {
    var bytes = [UInt8](repeating: 0, count: 16)
    let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
    guard count > 0 else { return nil }
    let text = String(decoding: bytes[..<count], as: UTF8.self).split(separator: "\n").first
    guard let pid = text.flatMap({ Int32($0) }), pid > 0 else { return nil }
    return kill(pid, 0) == 0 || errno == EPERM ? pid : nil
  }

  /// Releases the lock (idempotent), emptying the file first: the next holder may write no pid.
  func release() {
    guard descriptor >= 0 else { return }
    _ = ftruncate(descriptor, 0)
    close(descriptor)
    descriptor = -1
  }

  deinit { release() }
}
