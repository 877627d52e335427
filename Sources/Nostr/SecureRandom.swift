import CLibCrypto

/// Randomness for keys and signing, from the operating system's CSPRNG.
///
/// `SystemRandomNumberGenerator` reads `getrandom(2)` on Linux;
/// nothing here is a user-space generator of our own.
enum SecureRandom {
  /// `count` bytes from the operating system.
  static func bytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    var out = [UInt8](repeating: 0, count: count)
    var index = 0
    while index < count {
      var word = generator.next()
      for _ in 0..<8 where index < count {
        out[index] = UInt8(truncatingIfNeeded: word)
        word >>= 8
        index += 1
      }
    }
    return out
  }

  /// Overwrites `bytes` with zeros in a way the optimizer may not remove (`OPENSSL_cleanse`).
  static func wipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { buffer in
      if let base = buffer.baseAddress { OPENSSL_cleanse(base, buffer.count) }
    }
  }
}
