import Glibc
import ProcessSupport

/// Fail-closed checks of `DATA_DIR` before SQLite touches it (docs/contract.md, Storage, beyond):
/// the directory must exist, be a directory, and accept a new file from this user (``check(_:)``);
/// an existing `events.db` (and its `-wal`/`-shm`) must be writable (``checkFiles(_:)``).
enum DataDirectory {
  /// The name of the database file inside `DATA_DIR`.
  static let databaseName = "events.db"

  static func check(_ directory: String) throws(StoreOpenError) {
    let uid = geteuid()
    var info = stat()
    guard stat(directory, &info) == 0 else {
      let code = errno
      let reason = SystemError.errno.reason
      if code == ENOENT {
        throw StoreOpenError(
          code: "data_dir_missing",
          message:
            "\(directory) does not exist (server runs as uid \(uid)); fix: mkdir -p \(directory) && chown \(uid) \(directory), or mount a writable volume there"
        )
      }
      throw .unusable(directory, code: "data_dir_not_writable", problem: "cannot be read", reason: reason)
    }
    guard (info.st_mode & S_IFMT) == S_IFDIR else {
      throw StoreOpenError(
        code: "data_dir_not_directory",
        message: "\(directory) is not a directory; fix: point DATA_DIR at a directory writable by uid \(uid)")
    }
    try probeWritable(directory)
  }

  /// An existing `events.db` (and its `-wal`/`-shm`) must be writable. Called with the file
  /// locked (``DatabaseLock``): opening and closing them here would drop the POSIX locks
  /// another store of this process holds on them.
  static func checkFiles(_ database: String) throws(StoreOpenError) {
    for file in [database, database + "-wal", database + "-shm"] {
      guard access(file, F_OK) == 0 else { continue }
      let fd = open(file, O_RDWR | O_CLOEXEC)
      guard fd >= 0 else {
        throw .unusable(file, code: "database_not_writable", reason: SystemError.errno.reason)
      }
      close(fd)
    }
  }

  static func path(in directory: String) -> String {
    directory.hasSuffix("/") ? directory + databaseName : directory + "/" + databaseName
  }

  /// Creating a file is the only reliable test: `access(2)` answers for the real uid and
  /// ignores read-only mounts and root-squashing NFS.
  private static func probeWritable(_ directory: String) throws(StoreOpenError) {
    let probe = (directory.hasSuffix("/") ? directory : directory + "/") + ".bls-write-probe-\(getpid())"
    let fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw .unusable(directory, code: "data_dir_not_writable", reason: SystemError.errno.reason)
    }
    close(fd)
    unlink(probe)
  }

}
