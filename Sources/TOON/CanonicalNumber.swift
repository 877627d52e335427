import JSON

/// The §2 canonical form of a JSON number literal, computed on its exact decimal digits
/// (never through `Double`, so nothing is rounded): no exponent, no leading zeros, no
/// trailing fractional zeros, `-0` → `0`, for 1e-6 ≤ |n| < 1e21; outside that range the
/// JSON exponent form with lowercase `e` and an explicit sign (`1.5e+21`, `1e-7`).
/// Returns `nil` when `literal` is not a JSON number (RFC 8259 §6).
func canonicalNumber(_ literal: String) -> [UInt8]? {
  guard let decimal = JSONNumber.Decimal(literal: literal) else { return nil }
  guard !decimal.isZero else { return [UInt8(ascii: "0")] }
  let digits = decimal.digits
  let point = decimal.point
  var out: [UInt8] = decimal.negative ? [UInt8(ascii: "-")] : []
  let exponent = point - 1  // value = d.ddd × 10^exponent
  if exponent >= 21 || exponent < -6 {
    out.append(digits[0])
    if digits.count > 1 {
      out.append(UInt8(ascii: "."))
      out.append(contentsOf: digits.dropFirst())
    }
    out.append(UInt8(ascii: "e"))
    out.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
    out.append(contentsOf: String(abs(exponent)).utf8)
  } else if point <= 0 {
    out.append(contentsOf: "0.".utf8)
    out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -point))
    out.append(contentsOf: digits)
  } else if point >= digits.count {
    out.append(contentsOf: digits)
    out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: point - digits.count))
  } else {
    out.append(contentsOf: digits.prefix(point))
    out.append(UInt8(ascii: "."))
    out.append(contentsOf: digits.dropFirst(point))
  }
  return out
}
