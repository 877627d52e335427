/// A JSON number that keeps its literal text.
///
/// Integers of any size survive a round trip unchanged; ``int64Value`` and ``uint64Value``
/// give exact integer access and ``doubleValue`` the nearest `Double`. Two numbers are equal
/// when they denote exactly the same value (`1`, `1.0` and `1e0` are equal).
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
  /// The number as written: JSON number grammar (RFC 8259 §6).
  public let literal: String

  /// Wraps a literal that the caller has already validated against the JSON number grammar.
  public init(validatedLiteral literal: String) {
    self.literal = literal
  }

  /// An integer number.
  public init(_ value: Int64) { self.literal = String(value) }

  /// An unsigned integer number.
  public init(_ value: UInt64) { self.literal = String(value) }

  /// A finite double, written as JavaScript writes it: the shortest digits that round-trip,
  /// plain decimal for 1e-6 ≤ |n| < 1e21 and exponent form (`1e+21`) outside; `-0` is `0`.
  /// Non-finite values have no JSON form and become `0`.
  public init(_ value: Double) {
    guard value.isFinite else {
      self.literal = "0"
      return
    }
    if value == value.rounded(), abs(value) < 1e15 {
      self.literal = String(Int64(value))
    } else {
      self.literal = Decimal(literal: "\(value)")?.canonicalText ?? "0"
    }
  }

  /// `true` when the literal has no fraction or exponent part.
  public var isIntegerLiteral: Bool {
    !literal.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
  }

  /// The exact value when it is an integer in `Int64`'s range (`2.0` and `2e3` count).
  public var int64Value: Int64? {
    if isIntegerLiteral { return Int64(literal) }
    let d = doubleValue
    guard d == d.rounded(), d >= -9.223372036854775808e18, d < 9.223372036854775808e18 else {
      return nil
    }
    return Int64(d)
  }

  /// The exact value when it is a non-negative integer literal in `UInt64`'s range.
  public var uint64Value: UInt64? {
    if isIntegerLiteral { return UInt64(literal) }
    guard let i = int64Value, i >= 0 else { return nil }
    return UInt64(i)
  }

  /// The nearest `Double`.
  public var doubleValue: Double { Double(literal) ?? .nan }

  public var description: String { literal }

  /// Exact numeric equality: `1`, `1.0` and `1e0` are equal; integers that differ only
  /// beyond `Double` precision are not.
  public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
    if lhs.literal == rhs.literal { return true }
    if lhs.isIntegerLiteral, rhs.isIntegerLiteral, let l = Int64(lhs.literal), let r = Int64(rhs.literal) {
      return l == r
    }
    if let l = lhs.decimal, let r = rhs.decimal { return l == r }
    return lhs.doubleValue == rhs.doubleValue
  }

  public func hash(into hasher: inout Hasher) {
    if let decimal {
      hasher.combine(decimal)
    } else {
      hasher.combine(doubleValue)
    }
  }
}
