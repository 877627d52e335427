/// Compact JSON serialization, byte-compatible with JavaScript's `JSON.stringify`
/// (no whitespace; strings escaped as NIP-01 requires: `\"` `\\` `\n` `\r` `\t` `\b` `\f`,
/// other U+0000–U+001F as lowercase `\u00xx`, everything else raw UTF-8).
public enum JSONWriter {
  /// Appends `string` as a quoted JSON string.
  public static func appendQuoted(_ string: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for b in string.utf8 {
      switch b {
      case 0x22: out.append(contentsOf: [0x5C, 0x22])
      case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
      case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
      case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
      case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
      case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
      case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
      case 0x00..<0x20:
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
      default: out.append(b)
      }
    }
    out.append(UInt8(ascii: "\""))
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
