/// Byte classes shared by the JSON and TOON parsers, which read UTF-8 bytes directly.
public enum ASCII {
  /// `0`–`9`.
  @inlinable public static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

  /// The value of a hex digit (`0`–`9`, `A`–`F`, `a`–`f`), else `nil`.
  @inlinable public static func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case 0x30...0x39: b - 0x30
    case 0x41...0x46: b - 0x41 + 10
    case 0x61...0x66: b - 0x61 + 10
    default: nil
    }
  }
}
