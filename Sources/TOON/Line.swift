/// One significant line of a TOON document: neither blank nor a comment (§5.1, §12).
///
/// All positions are byte offsets into the document.
struct Line {
  /// Where the physical line starts (for column numbers).
  var lineStart: Int
  /// First content byte, after the indentation.
  var start: Int
  /// End of the content (exclusive): a final CR and trailing spaces are excluded (§12).
  var end: Int
  /// Indentation level: leading spaces divided by the indent size.
  var depth: Int
  /// 1-based physical line number.
  var number: Int
  /// Line number of the last blank line between the previous significant line and this
  /// one, if there was any (§12 blank lines inside array spans).
  var blankLineBefore: Int?
}
