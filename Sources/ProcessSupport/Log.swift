import Glibc

/// One-line logs on standard error (a container's log stream), each written with a single
/// `write(2)`, so lines from several threads never interleave.
public enum Log {
  /// `bls-fcgi: <message>`.
  public static func info(_ message: String) {
    let line = Array("bls-fcgi: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
  }

  /// `bls-fcgi: WARNING: <message>`.
  public static func warning(_ message: String) { info("WARNING: \(message)") }
}
