/// PostgreSQL array literals for text-format parameters (PostgreSQL § 8.15.6 "Array
/// Input and Output Syntax").
enum PGArray {
  /// `{"a","b"}`: every element double-quoted, `"` and `\` backslash-escaped, so any text
  /// (braces, commas, spaces, the word NULL) is read back as itself.
  static func literal(_ elements: [Substring]) -> String {
    var out = "{"
    for (index, element) in elements.enumerated() {
      if index > 0 { out += "," }
      out += "\""
      for scalar in element.unicodeScalars {
        if scalar == "\"" || scalar == "\\" { out += "\\" }
        out.unicodeScalars.append(scalar)
      }
      out += "\""
    }
    return out + "}"
  }
}
