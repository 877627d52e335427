#if canImport(Glibc)
  import Glibc
#endif

/// Reads lines from a file descriptor in 64 KiB blocks, each at most `maxBytes` long: a
/// longer line is reported as overlong and skipped to its end without being kept, so memory
/// stays bounded whatever the input.
struct LineReader {
  enum Line {
    case text(ArraySlice<UInt8>)
    case overlong
  }

  let fd: Int32
  let maxBytes: Int
  private var buffer: [UInt8] = []
  private var start = 0
  private var skipping = false
  private var atEnd = false
  /// 1-based number of the line last returned.
  private(set) var number: Int64 = 0

  init(fd: Int32, maxBytes: Int) {
    self.fd = fd
    self.maxBytes = maxBytes
  }

  /// The next line without its `\n` (and a `\r` before it), or `nil` at the end. Throws the
  /// `errno` text of a failed read.
  mutating func next() throws(ReadFailure) -> Line? {
    while true {
      if let newline = buffer[start...].firstIndex(of: 0x0A) {
        var end = newline
        if end > start && buffer[end - 1] == 0x0D { end -= 1 }
        let line = buffer[start..<end]
        start = newline + 1
        number += 1
        if skipping {
          skipping = false
          return .overlong
        }
        return line.count > maxBytes ? .overlong : .text(line)
      }
      if buffer.count - start > maxBytes {
        // Drop what is buffered of an overlong line; remember to skip to its end.
        buffer.removeAll(keepingCapacity: true)
        start = 0
        skipping = true
      }
      if atEnd {
        guard start < buffer.count || skipping else { return nil }
        let line = buffer[start...]
        start = buffer.count
        number += 1
        if skipping {
          skipping = false
          return .overlong
        }
        return .text(line)
      }
      if start > 0 {
        buffer.removeSubrange(0..<start)
        start = 0
      }
      try fill()
    }
  }

  private mutating func fill() throws(ReadFailure) {
    var block = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = read(fd, &block, block.count)
      if n > 0 {
        buffer.append(contentsOf: block[0..<n])
        return
      }
      if n == 0 {
        atEnd = true
        return
      }
      if errno != EINTR { throw ReadFailure(reason: String(cString: strerror(errno))) }
    }
  }

  struct ReadFailure: Error {
    let reason: String
  }
}
