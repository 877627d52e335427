import JSON

/// Accumulates encoder output line by line (§12: LF between lines, none at the end).
struct Emitter {
  let indent: Int
  let delimiter: UInt8
  var out: [UInt8] = []
  private var lines = 0

  init(indent: Int, delimiter: UInt8) {
    self.indent = indent
    self.delimiter = delimiter
  }

  /// Starts a new line indented to `depth`.
  mutating func startLine(depth: Int) {
    if lines > 0 { out.append(0x0A) }
    lines += 1
    out.append(contentsOf: repeatElement(0x20, count: depth * indent))
  }

  mutating func append(_ text: StaticString) {
    text.withUTF8Buffer { out.append(contentsOf: $0) }
  }

  mutating func append(_ byte: UInt8) {
    out.append(byte)
  }

  /// An object key, entry key or field name, quoted unless it matches §7.3's pattern.
  mutating func writeKey(_ key: String) {
    if isBareKey(key) {
      out.append(contentsOf: key.utf8)
    } else {
      writeQuoted(key)
    }
  }

  /// A primitive; strings are quoted per §7.2 against `delimiter`.
  mutating func writePrimitive(_ value: JSONValue) {
    switch value {
    case .null: append("null")
    case .bool(let b): b ? append("true") : append("false")
    case .number(let n):
      if let decimal = n.decimal {
        out.append(contentsOf: decimal.canonicalText.utf8)
      } else {
        append("null")
      }
    case .string(let s):
      if stringNeedsQuotes(s, delimiter: delimiter) {
        writeQuoted(s)
      } else {
        out.append(contentsOf: s.utf8)
      }
    case .array, .object:
      preconditionFailure("writePrimitive called with a container")
    }
  }

  /// `"…"` with the §7.1 escapes: `\\ \" \n \r \t`, other C0 controls as `\u00xx`.
  mutating func writeQuoted(_ s: String) {
    out.append(0x22)
    for b in s.utf8 {
      switch b {
      case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
      case 0x22: out.append(contentsOf: [0x5C, 0x22])
      case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
      case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
      case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
      case 0x00..<0x20:
        let hex: StaticString = "0123456789abcdef"
        let digits = hex.withUTF8Buffer { [$0[Int(b >> 4)], $0[Int(b & 0xF)]] }
        out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30] + digits)
      default: out.append(b)
      }
    }
    out.append(0x22)
  }

  /// `[N<delim?>]` or `[N:<delim?>]` followed by an optional field list and the colon.
  mutating func writeHeader(count: Int, keyed: Bool, fields: [FieldSpec]?) {
    out.append(UInt8(ascii: "["))
    out.append(contentsOf: String(count).utf8)
    if keyed { out.append(UInt8(ascii: ":")) }
    if delimiter != UInt8(ascii: ",") { out.append(delimiter) }
    out.append(UInt8(ascii: "]"))
    if let fields { writeFieldList(fields) }
    out.append(UInt8(ascii: ":"))
  }

  private mutating func writeFieldList(_ fields: [FieldSpec]) {
    out.append(UInt8(ascii: "{"))
    for (i, field) in fields.enumerated() {
      if i > 0 { out.append(delimiter) }
      writeKey(field.name)
      if let children = field.children { writeFieldList(children) }
    }
    out.append(UInt8(ascii: "}"))
  }
}
