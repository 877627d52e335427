/// Base-16 encoding of bytes, as Nostr writes ids, keys and signatures (NIP-01: lowercase).
///
/// Works on UTF-8 bytes directly, without intermediate `String` slicing: these conversions
/// run for every incoming event, next to the signature check.
public enum Hex {
  @usableFromInline static let digits: [UInt8] = Array("0123456789abcdef".utf8)

  /// Lowercase hex of `bytes`.
  @inlinable
  public static func encode(_ bytes: some Sequence<UInt8>) -> String {
    var utf8: [UInt8] = []
    utf8.reserveCapacity(bytes.underestimatedCount * 2)
    for byte in bytes {
      utf8.append(digits[Int(byte >> 4)])
      utf8.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: utf8, as: UTF8.self)
  }

  /// The bytes `text` spells, or `nil` when it has an odd length or a character that is not a
  /// hex digit. With `lowercaseOnly`, `A`–`F` count as invalid (NIP-01 hex is lowercase).
  public static func decode(_ text: some StringProtocol, lowercaseOnly: Bool = false) -> [UInt8]? {
    decode(utf8: text.utf8, lowercaseOnly: lowercaseOnly)
  }

  /// Like ``decode(_:lowercaseOnly:)`` for text given as UTF-8 bytes.
  public static func decode(utf8: some Collection<UInt8>, lowercaseOnly: Bool = false) -> [UInt8]? {
    if let result = utf8.withContiguousStorageIfAvailable({
      decode(buffer: $0, lowercaseOnly: lowercaseOnly)
    }) {
      return result
    }
    return Array(utf8).withUnsafeBufferPointer { decode(buffer: $0, lowercaseOnly: lowercaseOnly) }
  }

  /// Decodes exactly `count` bytes: `nil` unless `text` has `2 * count` hex digits.
  public static func decode(
    _ text: some StringProtocol, count: Int, lowercaseOnly: Bool = false
  ) -> [UInt8]? {
    guard text.utf8.count == 2 * count else { return nil }
    return decode(text, lowercaseOnly: lowercaseOnly)
  }

  /// `true` when `text` is exactly `length` hex digits (lowercase only, when asked).
  public static func isHex(_ text: some StringProtocol, length: Int, lowercaseOnly: Bool = false) -> Bool {
    let utf8 = text.utf8
    guard utf8.count == length else { return false }
    if let result = utf8.withContiguousStorageIfAvailable({ isHex(buffer: $0, lowercaseOnly: lowercaseOnly) }) {
      return result
    }
    return utf8.allSatisfy { value(of: $0, lowercaseOnly: lowercaseOnly) != nil }
  }

  static func isHex(buffer: UnsafeBufferPointer<UInt8>, lowercaseOnly: Bool) -> Bool {
    for byte in buffer where value(of: byte, lowercaseOnly: lowercaseOnly) == nil { return false }
    return true
  }

  static func decode(buffer: UnsafeBufferPointer<UInt8>, lowercaseOnly: Bool) -> [UInt8]? {
    guard buffer.count % 2 == 0 else { return nil }
    let count = buffer.count / 2
    var valid = true
    let bytes = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
      for i in 0..<count {
        guard let high = value(of: buffer[2 * i], lowercaseOnly: lowercaseOnly),
          let low = value(of: buffer[2 * i + 1], lowercaseOnly: lowercaseOnly)
        else {
          valid = false
          break
        }
        out[i] = high << 4 | low
        initialized = i + 1
      }
    }
    return valid ? bytes : nil
  }

  @inline(__always)
  static func value(of digit: UInt8, lowercaseOnly: Bool) -> UInt8? {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit &- UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit &- UInt8(ascii: "a") &+ 10
    case UInt8(ascii: "A")...UInt8(ascii: "F") where !lowercaseOnly: digit &- UInt8(ascii: "A") &+ 10
    default: nil
    }
  }
}
