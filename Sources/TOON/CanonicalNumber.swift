/// The §2 canonical form of a JSON number literal, computed on its decimal digits (never
/// through `Double`, so nothing is rounded): no exponent, no leading zeros, no trailing
/// fractional zeros, `-0` → `0`, for 1e-6 ≤ |n| < 1e21; outside that range the JSON
/// exponent form with lowercase `e` and an explicit sign (`1.5e+21`, `1e-7`).
/// Returns `nil` when `literal` is not a JSON number (RFC 8259 §6).
func canonicalNumber(_ literal: String) -> [UInt8]? {
  let bytes = Array(literal.utf8)
  var i = 0
  let negative = i < bytes.count && bytes[i] == UInt8(ascii: "-")
  if negative { i += 1 }
  var digits: [UInt8] = []
  let intStart = i
  while i < bytes.count && isDigit(bytes[i]) { digits.append(bytes[i]); i += 1 }
  guard i > intStart else { return nil }
  var point = digits.count  // decimal point position within `digits`
  if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
    i += 1
    let fracStart = i
    while i < bytes.count && isDigit(bytes[i]) { digits.append(bytes[i]); i += 1 }
    guard i > fracStart else { return nil }
  }
  if i < bytes.count && (bytes[i] | 0x20) == UInt8(ascii: "e") {
    i += 1
    var expNegative = false
    if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) {
      expNegative = bytes[i] == UInt8(ascii: "-")
      i += 1
    }
    let expStart = i
    var exponent = 0
    while i < bytes.count && isDigit(bytes[i]) {
      exponent = min(exponent * 10 + Int(bytes[i] - 0x30), 1 << 40)  // saturate absurd exponents
      i += 1
    }
    guard i > expStart else { return nil }
    point += expNegative ? -exponent : exponent
  }
  guard i == bytes.count else { return nil }

  // Strip leading zeros (each moves the point left) and trailing zeros.
  var first = 0
  while first < digits.count && digits[first] == UInt8(ascii: "0") { first += 1 }
  guard first < digits.count else { return Array("0".utf8) }
  var last = digits.count
  while digits[last - 1] == UInt8(ascii: "0") { last -= 1 }
  let significant = digits[first..<last]
  point -= first

  var out: [UInt8] = negative ? [UInt8(ascii: "-")] : []
  let scientific = point - 1  // value = d.ddd × 10^scientific
  if scientific >= 21 || scientific < -6 {
    out.append(significant.first!)
    if significant.count > 1 {
      out.append(UInt8(ascii: "."))
      out.append(contentsOf: significant.dropFirst())
    }
    out.append(UInt8(ascii: "e"))
    out.append(scientific < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
    out.append(contentsOf: String(abs(scientific)).utf8)
  } else if point <= 0 {
    out.append(contentsOf: "0.".utf8)
    out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -point))
    out.append(contentsOf: significant)
  } else if point >= significant.count {
    out.append(contentsOf: significant)
    out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: point - significant.count))
  } else {
    out.append(contentsOf: significant.prefix(point))
    out.append(UInt8(ascii: "."))
    out.append(contentsOf: significant.dropFirst(point))
  }
  return out
}
