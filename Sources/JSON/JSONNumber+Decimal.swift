extension JSONNumber {
  /// The exact value of a number literal as significant decimal digits and a point
  /// position: value = ±0.d₁d₂…dₙ × 10^`point`. Leading and trailing zeros are removed,
  /// so equal values have equal parts (`1`, `1.0`, `10e-1` and `0.1e1` all give digits
  /// `"1"`, point 1); zero has no digits and is never negative.
  public struct Decimal: Sendable, Hashable {
    /// `true` for a negative, non-zero value.
    public var negative: Bool
    /// ASCII digits without leading or trailing zeros; empty for zero.
    public var digits: [UInt8]
    /// Position of the decimal point relative to the first digit, saturated to ±2^40 (``maxPoint``)
    /// so that a canonical text, whose exponent is within ±(2^40 + 1), reads back as the same
    /// value.
    public var point: Int

    /// Parses a JSON number literal (RFC 8259 §6 grammar, leading zeros tolerated);
    /// `nil` when `literal` is not one.
    public init?(literal: some StringProtocol) {
      let bytes = Array(literal.utf8)
      var i = 0
      let negative = !bytes.isEmpty && bytes[0] == UInt8(ascii: "-")
      if negative { i += 1 }
      var digits: [UInt8] = []
      let intStart = i
      while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
        digits.append(bytes[i])
        i += 1
      }
      guard i > intStart else { return nil }
      var point = digits.count
      if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
        i += 1
        let fracStart = i
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
          digits.append(bytes[i])
          i += 1
        }
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
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
          exponent = min(exponent * 10 + Int(bytes[i] - 0x30), 2 * Self.maxPoint)
          i += 1
        }
        guard i > expStart else { return nil }
        point += expNegative ? -exponent : exponent
      }
      guard i == bytes.count else { return nil }
      let first = digits.firstIndex { $0 != UInt8(ascii: "0") } ?? digits.count
      let last = (digits.lastIndex { $0 != UInt8(ascii: "0") } ?? -1) + 1
      if first >= last {
        self.negative = false
        self.digits = []
        self.point = 0
      } else {
        self.negative = negative
        self.digits = Array(digits[first..<last])
        self.point = min(max(point - first, -Self.maxPoint), Self.maxPoint)
      }
    }

    /// The largest ``point`` magnitude kept: 2^40. An exponent is read up to twice that, so
    /// every canonical exponent (at most 2^40 + 1 in magnitude) is read exactly.
    public static let maxPoint = 1 << 40

    /// `true` for zero.
    public var isZero: Bool { digits.isEmpty }
  }

  /// The exact decimal value, or `nil` if ``literal`` is not a JSON number.
  public var decimal: Decimal? { Decimal(literal: literal) }
}
