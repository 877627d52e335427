/// Compact JSON serialization, byte-compatible with JavaScript's `JSON.stringify`
/// (no whitespace; strings escaped as NIP-01 requires: `\"` `\\` `\n` `\r` `\t` `\b` `\f`,
/// other U+0000–U+001F as lowercase `\u00xx`, everything else raw UTF-8).
public enum JSONWriter {
  /// Appends `string` as a quoted JSON string.
  ///
  /// Runs of bytes that need no escaping are copied in bulk; a 30 KB text is a few
  /// microseconds, not one append per byte.
  public static func appendQuoted(_ string: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    let copied: Void? = string.utf8.withContiguousStorageIfAvailable { appendEscaped($0, to: &out) }
    if copied == nil {
      var contiguous = string
      contiguous.makeContiguousUTF8()
      contiguous.utf8.withContiguousStorageIfAvailable { appendEscaped($0, to: &out) }
    }
    out.append(UInt8(ascii: "\""))
  }

  /// Appends UTF-8 `bytes` with JSON escaping (no quotes). Bytes that need no escaping are
  /// skipped eight at a time (``needsEscape(_:)``) and copied in runs.
  static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    guard let base = bytes.baseAddress else { return }
    let count = bytes.count
    var runStart = 0
    var index = 0
    while index < count {
      while index + 8 <= count,
        !needsEscape(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
      {
        index += 8
      }
      guard index < count else { break }
      let byte = base[index]
      guard byte < 0x20 || byte == 0x22 || byte == 0x5C else {
        index += 1
        continue
      }
      if index > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
      out.append(0x5C)
      switch byte {
      case 0x22: out.append(0x22)
      case 0x5C: out.append(0x5C)
      case 0x0A: out.append(UInt8(ascii: "n"))
      case 0x0D: out.append(UInt8(ascii: "r"))
      case 0x09: out.append(UInt8(ascii: "t"))
      case 0x08: out.append(UInt8(ascii: "b"))
      case 0x0C: out.append(UInt8(ascii: "f"))
      default:
        out.append(UInt8(ascii: "u"))
        out.append(0x30)
        out.append(0x30)
        out.append(hexDigit(byte >> 4))
        out.append(hexDigit(byte & 0xF))
      }
      index += 1
      runStart = index
    }
    if count > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
  }

  /// Whether any of the 8 bytes of `word` is below 0x20, `"` or `\\` (SWAR: a byte is zero
  /// after the XOR exactly when it matched; `x - 0x01…` borrows into the high bit of a byte
  /// below the bound). Bytes of 0x80 and above never match, so UTF-8 text passes through.
  @inline(__always)
  static func needsEscape(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let quote = word ^ (ones &* 0x22)
    let backslash = word ^ (ones &* 0x5C)
    let control = (word &- ones &* 0x20) & ~word & highs
    let quoteFound = (quote &- ones) & ~quote & highs
    let backslashFound = (backslash &- ones) & ~backslash & highs
    return (control | quoteFound | backslashFound) != 0
  }

  /// Lowercase hex digit of `nibble` (0–15).
  @inline(__always)
  static func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
  }

  /// Appends the compact serialization of `value`.
  public static func append(_ value: JSONValue, to out: inout [UInt8]) {
    switch value {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .number(let n): out.append(contentsOf: n.literal.utf8)
    case .string(let s): appendQuoted(s, to: &out)
    case .array(let items):
      out.append(UInt8(ascii: "["))
      for (i, item) in items.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        append(item, to: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let object):
      out.append(UInt8(ascii: "{"))
      for (i, member) in object.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        appendQuoted(member.key, to: &out)
        out.append(UInt8(ascii: ":"))
        append(member.value, to: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }
}

extension JSONValue {
  /// Compact UTF-8 serialization (see ``JSONWriter``).
  public var serializedBytes: [UInt8] {
    var out: [UInt8] = []
    JSONWriter.append(self, to: &out)
    return out
  }

  /// Compact serialization as a string.
  public var serialized: String { String(decoding: serializedBytes, as: UTF8.self) }
}
