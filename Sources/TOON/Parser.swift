/// The TOON decoder's state: a line reader with one line of lookahead, over borrowed bytes.
///
/// Nesting is parsed by recursive descent; every container it opens is counted against
/// `maxDepth` first, so recursion is bounded (§15).
struct Parser {
  let bytes: UnsafeBufferPointer<UInt8>
  let strict: Bool
  let maxDepth: Int
  var reader: LineReader
  /// The next unconsumed significant line.
  var current: Line?
  /// How many enclosing array / keyed scopes have started their item lines; a blank line
  /// seen while this is positive is inside a header span (§12).
  var spanDepth = 0

  init(bytes: UnsafeBufferPointer<UInt8>, options: TOONDecoder, validatesUTF8: Bool) {
    self.bytes = bytes
    self.strict = options.strict
    self.maxDepth = options.maxDepth
    self.reader = LineReader(
      bytes: bytes, indent: max(1, options.indent), strict: options.strict,
      validatesUTF8: validatesUTF8)
  }

  /// Consumes the lookahead line, enforcing the strict blank-line rule of §12.
  mutating func take() throws(TOONError) -> Line {
    let line = current!
    if strict, spanDepth > 0, let blank = line.blankLineBefore {
      throw TOONError(
        line: blank, column: 1, code: .blankLineInArray,
        message: "blank line inside an array or keyed-object body (§12)")
    }
    current = try reader.next()
    return line
  }

  /// Drops the lookahead line without interpreting it (non-strict recovery, §8).
  mutating func skip() throws(TOONError) {
    current = try reader.next()
  }

  /// Content depth of a scope opened by a line at `parent`, or `nil` when no deeper line
  /// follows (the scope is empty). Strict mode requires exactly one level (§8, §14.2);
  /// non-strict mode takes the first line's depth.
  mutating func scopeDepth(parent: Int) throws(TOONError) -> Int? {
    guard let line = current, line.depth > parent else { return nil }
    if line.depth == parent + 1 || !strict { return line.depth }
    throw fail(
      .unexpectedIndentation,
      "line is indented more than one level deeper than its parent (§8)", line, line.start)
  }

  /// Rejects a line deeper than the scope it sits in (§8); non-strict mode skips it.
  mutating func rejectOverIndented(_ line: Line) throws(TOONError) {
    if strict {
      throw fail(
        .unexpectedIndentation,
        "line is indented deeper than its scope; the line above opens no scope (§8)",
        line, line.start)
    }
    try skip()
  }

  /// Errors when a container at nesting `level` (the root container is level 1) exceeds
  /// `maxDepth`.
  func checkDepth(_ level: Int, _ line: Line, _ offset: Int) throws(TOONError) {
    if level > maxDepth {
      throw fail(.tooDeep, "nesting deeper than the limit of \(maxDepth) levels (§15)", line, offset)
    }
  }

  func fail(_ code: TOONError.Code, _ message: String, _ line: Line, _ offset: Int) -> TOONError {
    TOONError(
      line: line.number, column: column(lineStart: line.lineStart, offset: offset, in: bytes),
      code: code, message: message)
  }

  /// `bytes[start..<end]` as a string (the bytes are known to be valid UTF-8).
  func string(_ start: Int, _ end: Int) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
  }

  /// Short, printable excerpt of the input for error messages.
  func excerpt(_ start: Int, _ end: Int) -> String {
    let text = string(start, min(end, start + 40))
    let clipped = end - start > 40 ? text + "…" : text
    return clipped.unicodeScalars.map { $0.value < 0x20 ? "\u{FFFD}" : String($0) }.joined()
  }
}
