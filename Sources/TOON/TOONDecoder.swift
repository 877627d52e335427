import JSON

/// Decodes TOON (Token-Oriented Object Notation, `toon-format/spec` SPEC.md v4.1) into a
/// ``JSONValue``.
///
/// The decoder makes one forward pass over the bytes with a single line of lookahead; no
/// declared length is ever used to reserve storage, and nesting beyond ``maxDepth`` is an
/// error rather than deeper recursion.
///
/// Decisions where the specification leaves room or where older encoders must be read:
/// - **Byte input** must be well-formed UTF-8 in every mode; ill-formed bytes are an error,
///   never replaced by U+FFFD (§4). A leading UTF-8 byte-order mark is ignored (§12).
/// - **Line endings**: LF separates lines; a CR right before a LF (or at the very end) is
///   part of the terminator, so CRLF documents decode like LF ones. Any other CR is content
///   (§12).
/// - **Duplicate keys** (object fields, keyed entries, field names) are errors in strict
///   mode and last-write-wins otherwise (§14.3).
/// - **Numbers** keep their literal text in ``JSONNumber`` (so `9007199254740993` stays
///   exact); only tokens matching the §4 grammar are numbers: `05`, `+1`, `.5`, `1.`,
///   `Infinity` are strings. Numeric equality of ``JSONNumber`` makes `1.0` equal to `1`.
/// - **Raw control characters inside quotes** are kept as data in both modes: TOON 1.x–3.0
///   encoders wrote them unescaped. Escapes are only those of §7.1 in every mode
///   (`\b`, `\f`, `\/` and surrogate `\u` escapes are errors).
/// - **Non-strict mode** (§14) skips lines that belong to no scope, accepts depth jumps,
///   does not check counts or widths, treats a leading tab as one indent level, and reads a
///   malformed header line as a `key: value` line.
/// - Key folding / path expansion no longer exist in TOON v4; dotted keys are literal.
public struct TOONDecoder: Sendable {
  /// Strict mode: enforce every check of §14 (default `true`).
  public var strict: Bool
  /// Spaces per indentation level (§12; default 2, values below 1 count as 1).
  public var indent: Int
  /// Deepest nesting of objects and arrays accepted; the root container is level 1.
  /// Keep it small: the decoder recurses once per level.
  public var maxDepth: Int

  public init(strict: Bool = true, indent: Int = 2, maxDepth: Int = 64) {
    self.strict = strict
    self.indent = indent
    self.maxDepth = maxDepth
  }

  /// Decodes UTF-8 bytes.
  public func decode(_ bytes: [UInt8]) throws(TOONError) -> JSONValue {
    try bytes.withUnsafeBufferPointer { decode(buffer: $0, validatesUTF8: true) }.get()
  }

  /// Decodes UTF-8 bytes in place.
  public func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(TOONError) -> JSONValue {
    try decode(buffer: bytes, validatesUTF8: true).get()
  }

  /// Decodes a string (already valid Unicode, so no UTF-8 check is needed).
  public func decode(_ text: String) throws(TOONError) -> JSONValue {
    var text = text
    return try text.withUTF8 { decode(buffer: $0, validatesUTF8: false) }.get()
  }

  private func decode(buffer: UnsafeBufferPointer<UInt8>, validatesUTF8: Bool) -> Result<JSONValue, TOONError> {
    var parser = Parser(bytes: buffer, options: self, validatesUTF8: validatesUTF8)
    do {
      return .success(try parser.parseDocument())
    } catch {
      return .failure(error)
    }
  }
}
