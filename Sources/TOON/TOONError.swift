/// Why a TOON document was rejected, with the position of the offending text.
///
/// ``description`` reads `line 3, column 5: <message>`; lines and columns are 1-based and
/// columns count Unicode scalar values from the start of the physical line. Messages name
/// the rule that was broken (citing TOON spec sections) and never echo more than a short
/// excerpt of the input.
public struct TOONError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Stable, machine-readable reason for a rejection. Raw values never change.
  public enum Code: String, Sendable, Equatable, CaseIterable {
    /// The bytes are not well-formed UTF-8 (§4).
    case invalidUTF8 = "invalid_utf8"
    /// A tab character was used for indentation in strict mode (§12).
    case tabIndentation = "tab_indentation"
    /// Leading spaces are not a multiple of the indent size in strict mode (§12).
    case invalidIndentation = "invalid_indentation"
    /// A line is more than one level deeper than its scope, or deeper than a scope that
    /// was never opened (§8, §14.2).
    case unexpectedIndentation = "unexpected_indentation"
    /// A blank line inside an array or keyed-object span in strict mode (§12).
    case blankLineInArray = "blank_line_in_array"
    /// A key with no colon, or a bare value where a `key: value` line was expected (§4, §5.2).
    case missingColon = "missing_colon"
    /// A backslash escape that §7.1 does not list, a truncated `\u`, or a surrogate escape.
    case invalidEscape = "invalid_escape"
    /// A quoted token without its closing quote (§7.1).
    case unterminatedString = "unterminated_string"
    /// Characters after a quoted token's closing quote (§7.4).
    case textAfterQuote = "text_after_quote"
    /// A malformed array or keyed header: bad length, keyed marker, field list, delimiter
    /// mismatch, whitespace or text where the grammar allows none (§6).
    case invalidHeader = "invalid_header"
    /// A header in a position where the spec does not allow it (§6).
    case misplacedHeader = "misplaced_header"
    /// The number of values, items, rows or entries differs from the declared length (§14.1).
    case countMismatch = "count_mismatch"
    /// A row or entry row has a different number of cells than the header has leaf fields
    /// (§14.1).
    case widthMismatch = "width_mismatch"
    /// The same key twice in one object, or the same field name twice in one field list,
    /// in strict mode (§14.3).
    case duplicateKey = "duplicate_key"
    /// Content after a complete root array, keyed root object or `[]` (§5).
    case trailingContent = "trailing_content"
    /// Nesting deeper than the decoder's `maxDepth` (§15).
    case tooDeep = "too_deep"
    /// A declared length that does not fit in an `Int`.
    case lengthTooLarge = "length_too_large"
  }

  /// 1-based line number.
  public let line: Int
  /// 1-based column, in Unicode scalar values from the start of the line.
  public let column: Int
  /// The rule that was broken.
  public let code: Code
  /// Human-readable explanation.
  public let message: String

  /// An error at `line` and `column` (both 1-based).
  public init(line: Int, column: Int, code: Code, message: String) {
    self.line = line
    self.column = column
    self.code = code
    self.message = message
  }

  public var description: String { "line \(line), column \(column): \(message)" }
}
