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

  /// Takes the lock for `databasePath` (its real path when it is a symbolic link, as SQLite
  /// opens it), or throws `database_in_use` if another process (or another open store of this
  /// process) holds it.
  init(databasePath: String) throws(StoreOpenError) {
    let path = Self.realPath(databasePath) + Self.suffix
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else {
      if errno == ELOOP {
        throw StoreOpenError(
          code: "database_not_writable",
          message: "\(path) is a symbolic link, which BLS does not follow; fix: remove it (BLS creates the file)")
      }
      let refusal = StoreOpenError.unusable(
        path, code: "database_not_writable", problem: "cannot be created or opened",
        reason: SystemError.errno.reason, andDirectory: true)
      throw StoreOpenError(
        code: refusal.code, message: refusal.message + " (it holds no data: removing it while BLS is stopped does too)")
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
    Self.giveToOwner(fd, of: path)
    // The holder's pid and pid namespace, for the message above (advice only: the lock is the
    // flock). A pid read from another namespace (a server in a container, a tool on the host)
    // names nobody here, so it is shown only within the same one.
    let note = Array("\(getpid()) \(Self.pidNamespace)\n".utf8)
    if ftruncate(fd, 0) == 0 { _ = note.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } }
    descriptor = fd
  }

  /// The pid the holder wrote, if it names a live process of this pid namespace (a holder that
  /// is not BLS, e.g. `flock(1)`, writes none; one killed left its own, which names no process).
  private static func holder(_ fd: Int32) -> Int32? {
    var bytes = [UInt8](repeating: 0, count: 128)
    let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
    guard count > 0 else { return nil }
    let line = String(decoding: bytes[..<count], as: UTF8.self).split(separator: "\n").first ?? ""
    let fields = line.split(separator: " ", maxSplits: 1)
    guard fields.count == 2, String(fields[1]) == pidNamespace, let pid = Int32(fields[0]), pid > 0 else {
      return nil
    }
    return kill(pid, 0) == 0 || errno == EPERM ? pid : nil
  }

  /// This process's pid namespace, e.g. `pid:[4026531836]`.
  private static let pidNamespace: String = {
    var buffer = [CChar](repeating: 0, count: 64)
    let count = readlink("/proc/self/ns/pid", &buffer, buffer.count - 1)
    return count > 0 ? String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "unknown"
  }()

  /// `path` with every symbolic link resolved, when it exists; else `path`.
  private static func realPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// Run as root (a tool run with sudo), a lock file root just created goes to the owner of
  /// its directory (the user BLS runs as), as SQLite does with the `-wal` and `-shm` files:
  /// a root-owned 0600 file would stop that user's server from starting.
  private static func giveToOwner(_ fd: Int32, of path: String) {
    guard geteuid() == 0 else { return }
    var file = stat()
    var directory = stat()
    let parent = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    guard fstat(fd, &file) == 0, file.st_uid == 0, stat(parent.isEmpty ? "/" : parent, &directory) == 0,
      directory.st_uid != 0
    else { return }
    _ = fchown(fd, directory.st_uid, directory.st_gid)
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
