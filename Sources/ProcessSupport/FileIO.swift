import Glibc

/// Reading and writing whole files with the C library.
public enum FileIO {
  /// The bytes of the file at `path`; fails when it cannot be read or holds more than
  /// `limit` bytes.
  public static func read(_ path: String, limit: Int = .max) throws(SystemError) -> [UInt8] {
    guard let file = fopen(path, "rb") else { throw .errno }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = fread(&buffer, 1, buffer.count, file)
      if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
      if bytes.count > limit { throw SystemError(reason: "file is larger than \(Self.describe(limit))") }
      if count < buffer.count {
        if ferror(file) != 0 { throw .errno }
        return bytes
      }
    }
  }

  /// The file at `path` as UTF-8 text; fails as ``read(_:limit:)`` does, or when the bytes
  /// are not valid UTF-8.
  public static func readText(_ path: String, limit: Int = .max) throws(SystemError) -> String {
    let bytes = try read(path, limit: limit)
    guard let text = String(validating: bytes, as: UTF8.self) else { throw SystemError(reason: "not valid UTF-8") }
    return text
  }

  /// Replaces the file at `path` with `bytes`: written to `path.tmp`, then renamed over it,
  /// so a reader sees the old file or the new one, never half of it.
  public static func replace(_ path: String, with bytes: [UInt8]) throws(SystemError) {
    let temporary = path + ".tmp"
    guard let file = fopen(temporary, "wb") else { throw .errno }
    let written = fwrite(bytes, 1, bytes.count, file)
    guard fclose(file) == 0, written == bytes.count else { throw .errno }
    guard rename(temporary, path) == 0 else { throw .errno }
  }

  /// `1 MiB` for 1 << 20, else the number of bytes.
  static func describe(_ limit: Int) -> String {
    limit % (1 << 20) == 0 ? "\(limit >> 20) MiB" : "\(limit) bytes"
  }
}
