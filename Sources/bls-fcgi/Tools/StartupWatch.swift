import ProcessSupport

#if canImport(Glibc)
  import Glibc
#endif

/// How `run` tells a responder that is slow to start because it is migrating the database
/// from one that is stuck: the responder rewrites a progress file while it migrates
/// (``MigrationLog``), and the start-up timeout counts from the file's last change, not from
/// the start. A responder that makes no progress for the whole timeout is still given up on.
final class StartupWatch {
  let path: String
  private var content: [UInt8] = []
  private var lastChange: Int64
  private var announced = false

  /// Watches `directory/responder.progress`; removes a stale one and names it, through
  /// ``MigrationLog/progressFileVariable``, to the responder about to be started.
  init(runtimeDirectory directory: String, since start: Int64) {
    path = directory + "/responder.progress"
    lastChange = start
    unlink(path)
    setenv(MigrationLog.progressFileVariable, path, 1)
  }

  /// When the responder last showed progress (or the start), re-reading the file.
  func lastProgress() -> Int64 {
    let now = MonotonicClock.milliseconds()
    let current = Self.read(path)
    if current != content {
      content = current
      lastChange = now
      if !announced {
        announced = true
        Log.info("the responder is migrating the database: waiting while it makes progress")
      }
    }
    return lastChange
  }

  /// The file's first 256 bytes, or none.
  private static func read(_ path: String) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return [] }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 256)
    let n = Glibc.read(fd, &buffer, buffer.count)
    return n > 0 ? Array(buffer[0..<n]) : []
  }
}
