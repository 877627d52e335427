import Glibc
import ProcessSupport

/// Fail-closed checks of `DATA_DIR` before SQLite touches it (docs/contract.md, Storage, beyond):
/// the directory must exist, be a directory, and accept a new file from this user; an existing
/// `events.db` (and its `-wal`/`-shm`) must be writable.
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
      throw StoreOpenError(
        code: "data_dir_not_writable",
        message:
          "\(directory) cannot be read by uid \(uid) (\(reason)); fix: chown \(uid) \(directory) or mount a writable volume"
      )
    }
    guard (info.st_mode & S_IFMT) == S_IFDIR else {
      throw StoreOpenError(
        code: "data_dir_not_directory",
        message: "\(directory) is not a directory; fix: point DATA_DIR at a directory writable by uid \(uid)")
    }
    try probeWritable(directory, uid: uid)
    let database = path(in: directory)
    for file in [database, database + "-wal", database + "-shm"] {
      guard access(file, F_OK) == 0 else { continue }
      let fd = open(file, O_RDWR | O_CLOEXEC)
      guard fd >= 0 else {
        throw StoreOpenError(
          code: "database_not_writable",
          message:
            "\(file) is not writable by uid \(uid) (\(SystemError.errno.reason)); fix: chown \(uid) \(file) or mount a writable volume"
        )
      }
      close(fd)
    }
  }

  static func path(in directory: String) -> String {
    directory.hasSuffix("/") ? directory + databaseName : directory + "/" + databaseName
  }

  /// Creating a file is the only reliable test: `access(2)` answers for the real uid and
  /// ignores read-only mounts and root-squashing NFS.
  private static func probeWritable(_ directory: String, uid: uid_t) throws(StoreOpenError) {
    let probe = (directory.hasSuffix("/") ? directory : directory + "/") + ".bls-write-probe-\(getpid())"
    let fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw StoreOpenError(
        code: "data_dir_not_writable",
        message:
          "\(directory) is not writable by uid \(uid) (\(SystemError.errno.reason)); fix: chown \(uid) \(directory) or mount a writable volume"
      )
    }
    close(fd)
    unlink(probe)
  }

}
