import JSON

/// Splits a TOON document into significant lines, one forward pass over the bytes.
///
/// Applies, in order, the lexical rules that precede structural parsing:
/// - a UTF-8 byte-order mark at the very start is dropped (§12);
/// - lines end at LF; one CR right before the LF (or the end) belongs to the terminator, so
///   CRLF input decodes like LF input (§12); a CR anywhere else is content;
/// - trailing spaces are not content (§12);
/// - lines whose first non-space character is `#` are comments and vanish (§5.1);
/// - lines of only spaces (or spaces and tabs) are blank (§12);
/// - strict mode rejects tabs in indentation and indentation that is not a multiple of
///   the indent size (§12); non-strict mode counts a leading tab as one indent level.
///
/// Byte input is checked to be well-formed UTF-8 as it is scanned (§4).
struct LineReader {
  let bytes: UnsafeBufferPointer<UInt8>
  let indent: Int
  let strict: Bool
  let validatesUTF8: Bool
  private var position: Int
  private var lineNumber = 0

  init(bytes: UnsafeBufferPointer<UInt8>, indent: Int, strict: Bool, validatesUTF8: Bool) {
    self.bytes = bytes
    self.indent = indent
    self.strict = strict
    self.validatesUTF8 = validatesUTF8
    let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    self.position = hasBOM ? 3 : 0
  }

  /// The next significant line, or `nil` at the end of the document.
  mutating func next() throws(TOONError) -> Line? {
    var blankLine: Int? = nil
    let count = bytes.count
    while position < count {
      lineNumber += 1
      let lineStart = position
      let lineEnd = try scanLine(from: lineStart)
      position = lineEnd < count ? lineEnd + 1 : count

      var end = lineEnd
      if end > lineStart && bytes[end - 1] == 0x0D { end -= 1 }
      while end > lineStart && bytes[end - 1] == 0x20 { end -= 1 }
      var start = lineStart
      while start < end && bytes[start] == 0x20 { start += 1 }
      if start == end {
        blankLine = lineNumber
        continue
      }
      if bytes[start] == UInt8(ascii: "#") { continue }

      var columns = start - lineStart
      if bytes[start] == 0x09 {
        var s = start
        while s < end && (bytes[s] == 0x20 || bytes[s] == 0x09) {
          columns += bytes[s] == 0x09 ? indent : 1
          s += 1
        }
        if s == end {
          blankLine = lineNumber
          continue
        }
        if strict {
          throw error(
            .tabIndentation, "tabs must not be used for indentation (§12)",
            lineStart: lineStart, at: start)
        }
        start = s
      } else if strict && columns % indent != 0 {
        throw error(
          .invalidIndentation,
          "indentation of \(columns) spaces is not a multiple of \(indent) (§12)",
          lineStart: lineStart, at: start)
      }
      return Line(
        lineStart: lineStart, start: start, end: end, depth: columns / indent,
        number: lineNumber, blankLineBefore: blankLine)
    }
    return nil
  }

  /// Index of the LF ending the line that starts at `start` (or the end of input),
  /// validating UTF-8 on the way.
  private func scanLine(from start: Int) throws(TOONError) -> Int {
    let count = bytes.count
    var i = start
    if !validatesUTF8 {
      while i < count && bytes[i] != 0x0A { i += 1 }
      return i
    }
    while i < count {
      i = skipPlainASCII(from: i)
      guard i < count else { break }
      let b = bytes[i]
      if b == 0x0A { return i }
      if b < 0x80 {
        i += 1
      } else if let n = utf8SequenceLength(bytes, at: i) {
        i += n
      } else {
        throw error(
          .invalidUTF8, "ill-formed UTF-8 byte 0x\(String(b, radix: 16)) (§4)",
          lineStart: start, at: i)
      }
    }
    return i
  }

  /// Skips 8-byte words holding neither LF nor non-ASCII bytes.
  @inline(__always)
  private func skipPlainASCII(from start: Int) -> Int {
    guard let base = bytes.baseAddress else { return start }
    var i = start
    while i + 8 <= bytes.count {
      let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
      let x = word ^ 0x0A0A_0A0A_0A0A_0A0A
      let hasLF = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
      if (word & 0x8080_8080_8080_8080) | hasLF != 0 { break }
      i += 8
    }
    return i
  }

  private func error(_ code: TOONError.Code, _ message: String, lineStart: Int, at offset: Int)
    -> TOONError
  {
    TOONError(
      line: lineNumber, column: column(lineStart: lineStart, offset: offset, in: bytes),
      code: code, message: message)
  }
}

/// 1-based column of `offset`, counting Unicode scalars from `lineStart`.
func column(lineStart: Int, offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
  var n = 1
  var i = lineStart
  let stop = min(offset, bytes.count)
  while i < stop {
    if bytes[i] & 0xC0 != 0x80 { n += 1 }
    i += 1
  }
  return n
}
