import Glibc
import ProcessSupport

/// The directory of `bls-fcgi run`'s socket, rendered nginx.conf, pid file and nginx's
/// temporary files: one nobody else can write to or swap.
///
/// By default a fresh one is made with `mkdtemp(3)` under `/tmp` (mode 0700, removed at
/// exit). A directory named by `--runtime-dir`/`BLS_RUNTIME_DIR` is created (mode 0700) when
/// missing, and otherwise used only if it is a real directory (not a symlink) owned by this
/// user and writable by no one else — another local user could otherwise pre-create it and
/// replace the files `run` writes or the socket nginx connects to.
struct RuntimeDirectory {
  let path: String
  /// Made by this process (`mkdtemp`), so removed when it stops.
  let isTemporary: Bool

  /// A new private directory `/tmp/bls-XXXXXX`.
  static func fresh() throws(SupervisorError) -> RuntimeDirectory {
    var template = Array("/tmp/bls-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else {
      throw SupervisorError("cannot create a runtime directory under /tmp: \(SystemError.errno.reason)")
    }
    return RuntimeDirectory(path: String(cString: made), isTemporary: true)
  }

  /// The directory at `path` (from `--runtime-dir` or `BLS_RUNTIME_DIR`), created if missing,
  /// checked otherwise.
  static func given(_ path: String) throws(SupervisorError) -> RuntimeDirectory {
    guard path.hasPrefix("/") else {
      throw SupervisorError("BLS_RUNTIME_DIR: must be an absolute path, got \(path)")
    }
    if mkdir(path, 0o700) != 0 && errno != EEXIST {
      throw SupervisorError("BLS_RUNTIME_DIR: cannot create \(path): \(SystemError.errno.reason)")
    }
    var info = stat()
    guard lstat(path, &info) == 0 else {
      throw SupervisorError("BLS_RUNTIME_DIR: cannot inspect \(path): \(SystemError.errno.reason)")
    }
    let type = info.st_mode & S_IFMT
    guard type != S_IFLNK else {
      throw SupervisorError("BLS_RUNTIME_DIR: \(path) is a symbolic link; refusing (use a real directory)")
    }
    guard type == S_IFDIR else { throw SupervisorError("BLS_RUNTIME_DIR: \(path) is not a directory") }
    guard info.st_uid == geteuid() else {
      throw SupervisorError(
        "BLS_RUNTIME_DIR: \(path) is owned by uid \(info.st_uid), not by this user (uid \(geteuid())); refusing")
    }
    guard info.st_mode & 0o022 == 0 else {
      throw SupervisorError(
        "BLS_RUNTIME_DIR: \(path) is writable by group or others (mode \(String(info.st_mode & 0o7777, radix: 8))); refusing (chmod 700 it)"
      )
    }
    return RuntimeDirectory(path: path, isTemporary: false)
  }

  /// Lets the group `gid` (nginx's workers, when started as root) reach the socket inside:
  /// group ownership and mode 0710 (enter, not list or write).
  func admit(group gid: gid_t) throws(SupervisorError) {
    guard chown(path, geteuid(), gid) == 0, chmod(path, 0o710) == 0 else {
      throw SupervisorError("cannot give nginx's group access to \(path): \(SystemError.errno.reason)")
    }
  }

  /// Started as root, nginx's workers (`user`) must be able to pass through every directory
  /// above this one to reach the socket; refuses with the one line that says which does not
  /// let them (a private parent such as a 0700 home or work directory).
  func checkReachable(byUser user: String, uid: uid_t, gid: gid_t) throws(SupervisorError) {
    var ancestor = path
    while let slash = ancestor.utf8.lastIndex(of: UInt8(ascii: "/")) {
      ancestor = slash == ancestor.utf8.startIndex ? "/" : String(ancestor[..<slash])
      var info = stat()
      guard stat(ancestor, &info) == 0 else { break }
      let mode = info.st_mode
      let passes =
        (info.st_uid == uid && mode & S_IXUSR != 0) || (info.st_gid == gid && mode & S_IXGRP != 0)
        || mode & S_IXOTH != 0
      guard passes else {
        throw SupervisorError(
          "BLS_RUNTIME_DIR: nginx's workers run as \(user) and cannot pass through \(ancestor) (mode \(String(mode & 0o7777, radix: 8))) to reach the socket in \(path); choose a directory under /tmp, or leave BLS_RUNTIME_DIR unset"
        )
      }
      if ancestor == "/" { break }
    }
  }

  /// Writes `bytes` as a new file `name` inside (mode 0600), never through a symlink and
  /// never into a file someone else made: any old one is removed first and the new one is
  /// created exclusively (`O_CREAT | O_EXCL | O_NOFOLLOW`).
  func write(_ name: String, _ bytes: [UInt8]) throws(SupervisorError) {
    let file = path + "/" + name
    if unlink(file) != 0 && errno != ENOENT {
      throw SupervisorError("cannot replace \(file): \(SystemError.errno.reason)")
    }
    let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw SupervisorError("cannot create \(file): \(SystemError.errno.reason)") }
    defer { close(fd) }
    var offset = 0
    while offset < bytes.count {
      let count = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      guard count > 0 else { throw SupervisorError("cannot write \(file): \(SystemError.errno.reason)") }
      offset += count
    }
  }

  /// Removes a directory this process made, with what `run` and nginx left in it (best effort).
  func removeIfTemporary() {
    guard isTemporary else { return }
    for name in ["bls.sock", "nginx.conf", "nginx.pid"] { unlink(path + "/" + name) }
    for name in ["client_body", "fastcgi", "proxy", "uwsgi", "scgi"] { removeTree(path + "/" + name) }
    rmdir(path)
  }

  /// nginx's temporary directories: possibly nested, possibly holding leftover files.
  private func removeTree(_ directory: String) {
    guard let stream = opendir(directory) else { return }
    while let entry = readdir(stream) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      if name == "." || name == ".." { continue }
      let child = directory + "/" + name
      if unlink(child) != 0 { removeTree(child) }
    }
    closedir(stream)
    rmdir(directory)
  }
}
