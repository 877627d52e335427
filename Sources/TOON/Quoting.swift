import JSON

/// §7.3: keys may be bare only when they match `^[A-Za-z_][A-Za-z0-9_.]*$`.
func isBareKey(_ key: String) -> Bool {
  var iterator = key.utf8.makeIterator()
  guard let first = iterator.next(), isLetter(first) || first == UInt8(ascii: "_") else { return false }
  while let b = iterator.next() {
    guard isLetter(b) || ASCII.isDigit(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") else { return false }
  }
  return true
}

/// §7.2: when a string value must be quoted, given the delimiter that governs its position.
func stringNeedsQuotes(_ s: String, delimiter: UInt8) -> Bool {
  let utf8 = s.utf8
  guard let first = utf8.first, let last = utf8.last else { return true }
  if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return true }
  if first == UInt8(ascii: "-") || first == UInt8(ascii: "#") { return true }
  if s == "true" || s == "false" || s == "null" { return true }
  if isNumericLike(utf8) { return true }
  for b in utf8 {
    switch b {
    case 0x00..<0x20, UInt8(ascii: ":"), 0x22, 0x5C, UInt8(ascii: "["), UInt8(ascii: "]"),
      UInt8(ascii: "{"), UInt8(ascii: "}"):
      return true
    default:
      if b == delimiter { return true }
    }
  }
  return false
}

/// §7.2 numeric-like: `/^[+-]?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?$/i`.
private func isNumericLike(_ utf8: String.UTF8View) -> Bool {
  var i = utf8.startIndex
  let end = utf8.endIndex
  func digits() -> Bool {
    let start = i
    while i < end && ASCII.isDigit(utf8[i]) { i = utf8.index(after: i) }
    return i != start
  }
  if i < end && (utf8[i] == UInt8(ascii: "+") || utf8[i] == UInt8(ascii: "-")) { i = utf8.index(after: i) }
  guard digits() else { return false }
  if i < end && utf8[i] == UInt8(ascii: ".") {
    i = utf8.index(after: i)
    guard digits() else { return false }
  }
  if i < end && (utf8[i] | 0x20) == UInt8(ascii: "e") {
    i = utf8.index(after: i)
    if i < end && (utf8[i] == UInt8(ascii: "+") || utf8[i] == UInt8(ascii: "-")) { i = utf8.index(after: i) }
    guard digits() else { return false }
  }
  return i == end
}

@inline(__always) private func isLetter(_ b: UInt8) -> Bool {
  (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z")
}
