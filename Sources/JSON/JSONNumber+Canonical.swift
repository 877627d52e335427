extension JSONNumber.Decimal {
  /// The value written as JavaScript's `Number.prototype.toString` writes a double, but
  /// with every digit kept: plain decimal without leading or trailing zeros when
  /// 1e-6 ≤ |n| < 1e21 (`1000000`, `0.000001`, `-1.5`), otherwise exponent form with
  /// lowercase `e` and an explicit sign (`1e+21`, `-1.5e-7`); zero is `0`. This is also
  /// TOON's canonical number form (TOON §2).
  public var canonicalText: String {
    guard !digits.isEmpty else { return "0" }
    var out: [UInt8] = negative ? [UInt8(ascii: "-")] : []
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
    return String(decoding: out, as: UTF8.self)
  }
}

extension JSONNumber {
  /// The same value with its literal in canonical form (see
  /// ``JSONNumber/Decimal/canonicalText``); `nil` when ``literal`` is not a JSON number.
  public var canonical: JSONNumber? {
    decimal.map { JSONNumber(validatedLiteral: $0.canonicalText) }
  }
}
