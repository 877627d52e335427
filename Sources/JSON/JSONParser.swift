/// A strict RFC 8259 parser over UTF-8 bytes.
///
/// One pass, no recursion deeper than ``maxDepth``, ill-formed UTF-8 rejected (never replaced
/// by U+FFFD). A repeated object key keeps the last value, as `JSON.parse` does, unless
/// ``rejectsDuplicateKeys`` is set (RFC 8259 § 4 leaves repeated names to the receiver).
public struct JSONParser {
  /// Deepest nesting of arrays and objects accepted.
  public var maxDepth: Int
  /// Whether an object naming one key twice is an error rather than "the last one wins" (for
  /// settings, where a repeated key is a mistake to point out, not to guess at).
  public var rejectsDuplicateKeys: Bool

  public init(maxDepth: Int = 64, rejectsDuplicateKeys: Bool = false) {
    self.maxDepth = maxDepth
    self.rejectsDuplicateKeys = rejectsDuplicateKeys
  }

  /// Parses one JSON text; leading and trailing whitespace is allowed, nothing else is.
  public func parse(_ bytes: some Collection<UInt8>) throws(JSONError) -> JSONValue {
    let buffer = Array(bytes)
    var cursor = Cursor(bytes: buffer, maxDepth: maxDepth, rejectsDuplicateKeys: rejectsDuplicateKeys)
    cursor.skipWhitespace()
    let value = try cursor.parseValue(depth: 0)
    cursor.skipWhitespace()
    guard cursor.index == buffer.count else {
      throw JSONError(offset: cursor.index, reason: "unexpected data after the JSON value")
    }
    return value
  }
}

extension JSONValue {
  /// Parses a JSON text with the default limits of ``JSONParser``.
  public static func parse(_ bytes: some Collection<UInt8>) throws(JSONError) -> JSONValue {
    try JSONParser().parse(bytes)
  }

  /// Parses a JSON text held in a string.
  public static func parse(_ text: String) throws(JSONError) -> JSONValue {
    try JSONParser().parse(Array(text.utf8))
  }
}

private struct Cursor {
  let bytes: [UInt8]
  let maxDepth: Int
  let rejectsDuplicateKeys: Bool
  var index = 0

  init(bytes: [UInt8], maxDepth: Int, rejectsDuplicateKeys: Bool) {
    self.bytes = bytes
    self.maxDepth = maxDepth
    self.rejectsDuplicateKeys = rejectsDuplicateKeys
  }

  func fail(_ reason: String) -> JSONError { JSONError(offset: index, reason: reason) }

  var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

  mutating func skipWhitespace() {
    while let b = peek, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { index += 1 }
  }

  mutating func expectLiteral(_ word: StaticString, _ value: JSONValue) throws(JSONError) -> JSONValue {
    let count = word.utf8CodeUnitCount
    guard index + count <= bytes.count else { throw fail("invalid literal") }
    let ok = word.withUTF8Buffer { lit in
      (0..<count).allSatisfy { bytes[index + $0] == lit[$0] }
    }
    guard ok else { throw fail("invalid literal") }
    index += count
    return value
  }

  mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
    guard let b = peek else { throw fail("unexpected end of input") }
    switch b {
    case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
    case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): return try expectLiteral("true", .bool(true))
    case UInt8(ascii: "f"): return try expectLiteral("false", .bool(false))
    case UInt8(ascii: "n"): return try expectLiteral("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
    default: throw fail("unexpected character")
    }
  }

  mutating func parseObject(depth: Int) throws(JSONError) -> JSONValue {
    guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth)") }
    index += 1
    var object = JSONObject()
    skipWhitespace()
    if peek == UInt8(ascii: "}") {
      index += 1
      return .object(object)
    }
    while true {
      skipWhitespace()
      guard peek == UInt8(ascii: "\"") else { throw fail("expected a string key") }
      let keyOffset = index
      let key = try parseString()
      skipWhitespace()
      guard peek == UInt8(ascii: ":") else { throw fail("expected ':'") }
      index += 1
      skipWhitespace()
      let replaced = object.updateValue(try parseValue(depth: depth), forKey: key)
      if replaced != nil && rejectsDuplicateKeys {
        throw JSONError(offset: keyOffset, reason: "key \"\(key)\" given twice")
      }
      skipWhitespace()
      switch peek {
      case UInt8(ascii: ","): index += 1
      case UInt8(ascii: "}"):
        index += 1
        return .object(object)
      default: throw fail("expected ',' or '}'")
      }
    }
  }

  mutating func parseArray(depth: Int) throws(JSONError) -> JSONValue {
    guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth)") }
    index += 1
    var array: [JSONValue] = []
    skipWhitespace()
    if peek == UInt8(ascii: "]") {
      index += 1
      return .array(array)
    }
    while true {
      skipWhitespace()
      array.append(try parseValue(depth: depth))
      skipWhitespace()
      switch peek {
      case UInt8(ascii: ","): index += 1
      case UInt8(ascii: "]"):
        index += 1
        return .array(array)
      default: throw fail("expected ',' or ']'")
      }
    }
  }

  mutating func parseNumber() throws(JSONError) -> JSONNumber {
    let start = index
    if peek == UInt8(ascii: "-") { index += 1 }
    guard let first = peek, ASCII.isDigit(first) else { throw fail("invalid number") }
    index += 1
    if first != UInt8(ascii: "0") {
      while let b = peek, ASCII.isDigit(b) { index += 1 }
    }
    if peek == UInt8(ascii: ".") {
      index += 1
      guard let b = peek, ASCII.isDigit(b) else { throw fail("invalid number: digit expected after '.'") }
      while let b = peek, ASCII.isDigit(b) { index += 1 }
    }
    if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
      index += 1
      if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
      guard let b = peek, ASCII.isDigit(b) else { throw fail("invalid number: digit expected in exponent") }
      while let b = peek, ASCII.isDigit(b) { index += 1 }
    }
    return JSONNumber(validatedLiteral: String(decoding: bytes[start..<index], as: UTF8.self))
  }

  mutating func parseString() throws(JSONError) -> String {
    index += 1  // opening quote
    // Fast path: printable ASCII without escapes (keys, hex, base64) becomes a String in one
    // copy; anything else continues below from the first byte that needs a closer look.
    let start = index
    let end = bytes.withUnsafeBufferPointer { buffer in
      var end = start
      // Eight bytes at a time while none is `"`, `\\`, a control character or non-ASCII.
      if let base = buffer.baseAddress {
        while end + 8 <= buffer.count {
          let word = UnsafeRawPointer(base + end).loadUnaligned(as: UInt64.self)
          if JSONWriter.needsEscape(word) || word & 0x8080_8080_8080_8080 != 0 { break }
          end += 8
        }
      }
      while end < buffer.count {
        let b = buffer[end]
        if b == 0x22 || b == 0x5C || b < 0x20 || b >= 0x80 { break }
        end += 1
      }
      return end
    }
    if end < bytes.count && bytes[end] == UInt8(ascii: "\"") {
      index = end + 1
      return bytes.withUnsafeBufferPointer {
        String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self)
      }
    }
    var out: [UInt8] = []
    out.append(contentsOf: bytes[start..<end])
    index = end
    while true {
      guard let b = peek else { throw fail("unterminated string") }
      switch b {
      case UInt8(ascii: "\""):
        index += 1
        return String(decoding: out, as: UTF8.self)
      case UInt8(ascii: "\\"):
        index += 1
        try parseEscape(into: &out)
      case 0x00..<0x20:
        throw fail("control character in string")
      case 0x00..<0x80:
        out.append(b)
        index += 1
      default:
        let length = try validateUTF8Scalar()
        out.append(contentsOf: bytes[index..<index + length])
        index += length
      }
    }
  }

  mutating func parseEscape(into out: inout [UInt8]) throws(JSONError) {
    guard let e = peek else { throw fail("unterminated escape") }
    index += 1
    switch e {
    case UInt8(ascii: "\""): out.append(0x22)
    case UInt8(ascii: "\\"): out.append(0x5C)
    case UInt8(ascii: "/"): out.append(0x2F)
    case UInt8(ascii: "b"): out.append(0x08)
    case UInt8(ascii: "f"): out.append(0x0C)
    case UInt8(ascii: "n"): out.append(0x0A)
    case UInt8(ascii: "r"): out.append(0x0D)
    case UInt8(ascii: "t"): out.append(0x09)
    case UInt8(ascii: "u"):
      var scalar = try parseHex4()
      if (0xD800..<0xDC00).contains(scalar) {
        guard peek == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u")
        else { throw fail("lone surrogate in \\u escape") }
        index += 2
        let low = try parseHex4()
        guard (0xDC00..<0xE000).contains(low) else { throw fail("lone surrogate in \\u escape") }
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
      } else if (0xDC00..<0xE000).contains(scalar) {
        throw fail("lone surrogate in \\u escape")
      }
      out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
    default:
      index -= 1
      throw fail("invalid escape")
    }
  }

  mutating func parseHex4() throws(JSONError) -> UInt32 {
    guard index + 4 <= bytes.count else { throw fail("invalid \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard let digit = ASCII.hexValue(bytes[index]) else { throw fail("invalid \\u escape") }
      value = value << 4 | UInt32(digit)
      index += 1
    }
    return value
  }

  /// Length of the well-formed multi-byte UTF-8 sequence at `index` (Unicode Table 3-7).
  func validateUTF8Scalar() throws(JSONError) -> Int {
    guard let length = utf8SequenceLength(bytes, at: index) else { throw fail("ill-formed UTF-8") }
    return length
  }
}
