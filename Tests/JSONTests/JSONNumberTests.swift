import JSON
import Testing

/// ``JSONNumber`` keeps its literal and compares by exact value.
@Suite struct JSONNumberTests {
  func number(_ literal: String) -> JSONNumber { JSONNumber(validatedLiteral: literal) }

  @Test func equalValuesWithDifferentLiteralsAreEqualAndHashEqually() {
    let forms = ["1", "1.0", "1e0", "10e-1", "0.1e1", "1.000"].map(number)
    #expect(Set(forms).count == 1)
    for form in forms { #expect(form == number("1")) }
    #expect(number("-0") == number("0"))
    #expect(number("-0.0e5") == number("0"))
  }

  @Test func integersBeyondDoublePrecisionStayDistinct() {
    #expect(number("9007199254740993") != number("9007199254740992"))
    #expect(number("100000000000000000001") != number("100000000000000000000"))
    #expect(number("1e400") != number("1e401"))
    #expect(number("9007199254740993").int64Value == 9_007_199_254_740_993)
  }

  @Test(arguments: [
    (0.0, "0"), (-0.0, "0"), (1.5, "1.5"), (0.1, "0.1"), (1e15, "1000000000000000"),
    (1e20, "100000000000000000000"), (1e21, "1e+21"), (1.5e-7, "1.5e-7"), (0.000001, "0.000001"),
    (123456789.125, "123456789.125"), (-2.5e300, "-2.5e+300"), (5e-324, "5e-324"),
  ])
  func doublesAreWrittenLikeJavaScript(_ value: Double, _ expected: String) {
    #expect(JSONNumber(value).literal == expected)
  }

  @Test func decimalPartsAreNormalized() throws {
    let decimal = try #require(number("-00120.0500e-2").decimal)
    #expect(decimal.negative && String(decoding: decimal.digits, as: UTF8.self) == "12005" && decimal.point == 1)
    #expect(number("abc").decimal == nil)
    #expect(number("0.000").decimal?.isZero == true)
  }

  /// Found by Fuzz/fuzz-toon: `11e222…212` (an exponent of 56 digits) saturated its exponent
  /// to 2^40, so its canonical text `1.1e+1099511627777` read back as another value and TOON's
  /// decode → encode → decode was not stable.
  @Test(arguments: [
    "11e" + String(repeating: "2", count: 54) + "12", "-9.5e-" + String(repeating: "9", count: 30),
    "1e1099511627776", "1e1099511627775", "1e-1099511627776", "1e-1099511627777", "0.0001e-1099511627775",
    "12345e1099511627770",
  ])
  func canonicalTextOfAHugeExponentReadsBackAsTheSameValue(_ literal: String) throws {
    let canonical = try #require(number(literal).canonical)
    let again = try #require(canonical.canonical)
    #expect(again.literal == canonical.literal)
    #expect(canonical == number(literal))
  }
}
