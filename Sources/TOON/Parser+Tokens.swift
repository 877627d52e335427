import JSON

/// Token-level decoding: trimming, quoted strings (§7.1), primitives (§4), delimiter
/// splitting (§11.2).
extension Parser {
  /// `start..<end` without surrounding U+0020 spaces (§12 token trimming; nothing else).
  func trim(_ start: Int, _ end: Int) -> (Int, Int) {
    var s = start
    var e = end
    while s < e && bytes[s] == 0x20 { s += 1 }
    while e > s && bytes[e - 1] == 0x20 { e -= 1 }
    return (s, e)
  }

  /// `true` when `bytes[start..<end]` is exactly `literal`.
  func matches(_ start: Int, _ end: Int, _ literal: StaticString) -> Bool {
    guard end - start == literal.utf8CodeUnitCount else { return false }
    return literal.withUTF8Buffer { lit in
      for i in 0..<lit.count where bytes[start + i] != lit[i] { return false }
      return true
    }
  }

  /// Decodes the quoted token opening at `start` (a `"`), stopping before `limit`.
  /// Returns the string and the index just past the closing quote.
  ///
  /// §7.1 escapes only: `\\ \" \n \r \t \uXXXX` (hex in any case; surrogates rejected).
  /// Raw control characters between the quotes are kept as data: TOON 1.x–3.0 encoders
  /// wrote them unescaped, and the contract requires reading their output.
  func parseQuoted(_ start: Int, limit: Int, _ line: Line) throws(TOONError) -> (String, Int) {
    var i = start + 1
    while i < limit {
      let b = bytes[i]
      if b == 0x22 { return (string(start + 1, i), i + 1) }
      if b == 0x5C { break }
      i += 1
    }
    guard i < limit else { throw unterminated(start, line) }
    var out: [UInt8] = []
    out.reserveCapacity(limit - start)
    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<i]))
    while i < limit {
      let b = bytes[i]
      if b == 0x22 { return (String(decoding: out, as: UTF8.self), i + 1) }
      guard b == 0x5C else {
        let run = i
        while i < limit && bytes[i] != 0x22 && bytes[i] != 0x5C { i += 1 }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
        continue
      }
      guard i + 1 < limit else { throw unterminated(start, line) }
      switch bytes[i + 1] {
      case 0x5C: out.append(0x5C)
      case 0x22: out.append(0x22)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        try appendUnicodeEscape(at: i, limit: limit, line, into: &out)
        i += 6
        continue
      default:
        throw fail(
          .invalidEscape,
          "invalid escape \\\(excerpt(i + 1, i + 2)); TOON allows only \\\\ \\\" \\n \\r \\t \\uXXXX (§7.1)",
          line, i)
      }
      i += 2
    }
    throw unterminated(start, line)
  }

  private func appendUnicodeEscape(
    at i: Int, limit: Int, _ line: Line, into out: inout [UInt8]
  ) throws(TOONError) {
    var value: UInt32 = 0
    for k in 2..<6 {
      guard i + k < limit, let digit = ASCII.hexValue(bytes[i + k]) else {
        throw fail(.invalidEscape, "\\u must be followed by four hex digits (§7.1)", line, i)
      }
      value = value << 4 | UInt32(digit)
    }
    guard let scalar = Unicode.Scalar(value) else {
      throw fail(
        .invalidEscape,
        "surrogate escape \\u\(String(value, radix: 16, uppercase: true)) is not allowed (§7.1)",
        line, i)
    }
    out.append(contentsOf: UTF8.encode(scalar)!)
  }

  private func unterminated(_ start: Int, _ line: Line) -> TOONError {
    fail(.unterminatedString, "unterminated quoted string (§7.1)", line, start)
  }

  /// Decodes one trimmed value token `start..<end` (§4): a quoted string, `true`,
  /// `false`, `null`, a number, or else an unquoted string.
  func parsePrimitive(_ start: Int, _ end: Int, _ line: Line) throws(TOONError) -> JSONValue {
    guard start < end else { return .string("") }
    let first = bytes[start]
    if first == 0x22 {
      let (text, after) = try parseQuoted(start, limit: end, line)
      guard after == end else { throw textAfterQuote(after, line) }
      return .string(text)
    }
    if first == UInt8(ascii: "t"), matches(start, end, "true") { return .bool(true) }
    if first == UInt8(ascii: "f"), matches(start, end, "false") { return .bool(false) }
    if first == UInt8(ascii: "n"), matches(start, end, "null") { return .null }
    if isNumberToken(start, end) {
      return .number(JSONNumber(validatedLiteral: string(start, end)))
    }
    return .string(string(start, end))
  }

  func textAfterQuote(_ offset: Int, _ line: Line) -> TOONError {
    fail(.textAfterQuote, "unexpected text after a closing quote (§7.4)", line, offset)
  }

  /// §4 number grammar: `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?` with no leading zero
  /// before further integer digits (`05`, `-007` stay strings).
  func isNumberToken(_ start: Int, _ end: Int) -> Bool {
    var i = start
    if bytes[i] == UInt8(ascii: "-") { i += 1 }
    guard i < end, ASCII.isDigit(bytes[i]) else { return false }
    if bytes[i] == UInt8(ascii: "0"), i + 1 < end, ASCII.isDigit(bytes[i + 1]) { return false }
    while i < end && ASCII.isDigit(bytes[i]) { i += 1 }
    if i < end && bytes[i] == UInt8(ascii: ".") {
      i += 1
      guard i < end, ASCII.isDigit(bytes[i]) else { return false }
      while i < end && ASCII.isDigit(bytes[i]) { i += 1 }
    }
    if i < end && (bytes[i] | 0x20) == UInt8(ascii: "e") {
      i += 1
      if i < end && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
      guard i < end, ASCII.isDigit(bytes[i]) else { return false }
      while i < end && ASCII.isDigit(bytes[i]) { i += 1 }
    }
    return i == end
  }

  /// Splits `start..<end` on unquoted `delimiter`s and decodes each trimmed token
  /// (§11.2, Appendix B.3). Empty tokens are empty strings.
  func splitCells(_ start: Int, _ end: Int, _ delimiter: UInt8, _ line: Line)
    throws(TOONError) -> [JSONValue]
  {
    var values: [JSONValue] = []
    var tokenStart = start
    var inQuotes = false
    var i = start
    while i < end {
      let b = bytes[i]
      if inQuotes {
        if b == 0x5C {
          i += 2
          continue
        }
        if b == 0x22 { inQuotes = false }
      } else if b == 0x22 {
        inQuotes = true
      } else if b == delimiter {
        let (s, e) = trim(tokenStart, i)
        values.append(try parsePrimitive(s, e, line))
        tokenStart = i + 1
      }
      i += 1
    }
    let (s, e) = trim(tokenStart, end)
    values.append(try parsePrimitive(s, e, line))
    return values
  }

  /// First unquoted colon, or first unquoted `delimiter` when one is given, in
  /// `start..<end`; `isColon` tells which was found.
  func firstUnquoted(_ start: Int, _ end: Int, delimiter: UInt8?) -> (index: Int, isColon: Bool)? {
    var inQuotes = false
    var i = start
    while i < end {
      let b = bytes[i]
      if inQuotes {
        if b == 0x5C {
          i += 2
          continue
        }
        if b == 0x22 { inQuotes = false }
      } else if b == 0x22 {
        inQuotes = true
      } else if b == UInt8(ascii: ":") {
        return (i, true)
      } else if b == delimiter {
        return (i, false)
      }
      i += 1
    }
    return nil
  }
}
