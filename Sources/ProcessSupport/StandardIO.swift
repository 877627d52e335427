import Glibc

/// Whole-stream reads and writes on the standard descriptors, over `read(2)`/`write(2)`.
public enum StandardIO {
  /// Everything on standard input until its end.
  public static func readAll() -> [UInt8] {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = read(0, &buffer, buffer.count)
      if count > 0 {
        bytes.append(contentsOf: buffer[0..<count])
      } else if count == 0 || errno != EINTR {
        break
      }
    }
    return bytes
  }

  /// Writes all of `bytes` to `fd` (standard output by default), retrying after `EINTR`;
  /// gives up on any other error.
  public static func write(_ bytes: [UInt8], to fd: Int32 = 1) {
    var offset = 0
    while offset < bytes.count {
      let count = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if count > 0 {
        offset += count
      } else if errno != EINTR {
        return
      }
    }
  }

  /// Writes `text` as UTF-8.
  public static func write(_ text: String, to fd: Int32 = 1) {
    write(Array(text.utf8), to: fd)
  }

  /// Prints one line on standard error and exits 1: `line` as it is, or with
  /// `BLS_LOG_FORMAT=json` an `error` object (``Log``) whose message is `line` without its
  /// `ERROR: ` prefix.
  public static func fail(_ line: String) -> Never {
    if Log.format == .json {
      Log.error(line.hasPrefix("ERROR: ") ? String(line.dropFirst(7)) : line)
    } else {
      write(line + "\n", to: 2)
    }
    exit(1)
  }
}
