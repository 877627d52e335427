import JSON
import TOON
import Testing

/// Canonical encoding rules beyond the fixtures: numbers (§2), quoting (§7.2), keys (§7.3),
/// escapes (§7.1) and forms (§9, §10).
@Suite struct TOONEncoderTests {
  func encode(_ value: JSONValue, _ encoder: TOONEncoder = TOONEncoder()) -> String {
    encoder.encode(value)
  }

  @Test(arguments: [
    ("0", "0"), ("-0", "0"), ("-0.0", "0"), ("0e10", "0"), ("1.0", "1"), ("1.5000", "1.5"),
    ("1e6", "1000000"), ("1E+6", "1000000"), ("-1e-6", "-0.000001"), ("1e-7", "1e-7"),
    ("1.5e-7", "1.5e-7"), ("1e20", "100000000000000000000"), ("1e21", "1e+21"),
    ("-12.5e21", "-1.25e+22"), ("0.000123", "0.000123"), ("0.30000000000000004", "0.30000000000000004"),
    ("9007199254740993", "9007199254740993"), ("00012", "12"), ("123.456e2", "12345.6"),
    ("123456789012345678901234567890", "1.2345678901234567890123456789e+29"),
    ("1e999999999999", "1e+999999999999"),
  ])
  func numbersAreCanonical(_ literal: String, _ expected: String) {
    #expect(encode(.number(JSONNumber(validatedLiteral: literal))) == expected)
  }

  @Test func invalidNumberLiteralIsNull() {
    #expect(encode(["n": .number(JSONNumber(validatedLiteral: "NaN"))]) == "n: null")
  }

  @Test(arguments: [
    ("", #""""#), (" a", #"" a""#), ("a\t", #""a\t""#), ("true", #""true""#), ("null", #""null""#),
    ("42", #""42""#), ("+1", #""+1""#), ("-1.5e3", #""-1.5e3""#), ("05", #""05""#), ("-", #""-""#),
    ("-x", #""-x""#), ("#", ##""#""##), ("#tag", ##""#tag""##), ("a:b", #""a:b""#), ("[]", #""[]""#),
    ("{x}", #""{x}""#), ("a,b", #""a,b""#), ("say \"hi\"", #""say \"hi\"""#), (#"back\slash"#, #""back\\slash""#),
    ("a\u{1}b", #""a\u0001b""#), ("a\u{1F}", #""a\u001f""#), ("line\nbreak", #""line\nbreak""#),
    ("cr\r", #""cr\r""#),
    (".5", ".5"), ("5.", "5."), ("True", "True"), ("a b", "a b"), ("a|b", "a|b"), ("ünï", "ünï"),
    ("\u{A0}nbsp\u{A0}", "\u{A0}nbsp\u{A0}"), ("ls\u{2028}", "ls\u{2028}"), ("del\u{7F}", "del\u{7F}"),
    ("😀", "😀"), ("a#b", "a#b"), ("a-b", "a-b"),
  ])
  func stringsAreQuotedOnlyWhenRequired(_ string: String, _ expected: String) throws {
    #expect(encode(["v": .string(string)]) == "v: \(expected)")
    #expect(try TOONDecoder().decode(encode(["v": .string(string)])) == ["v": .string(string)])
  }

  @Test func delimiterAwareQuoting() {
    let value: JSONValue = ["note": "a,b|c", "list": ["a,b", "c|d"]]
    #expect(encode(value) == "note: \"a,b|c\"\nlist[2]: \"a,b\",c|d")
    #expect(encode(value, TOONEncoder(delimiter: .pipe)) == "note: \"a,b|c\"\nlist[2|]: a,b|\"c|d\"")
    #expect(encode(value, TOONEncoder(delimiter: .tab)) == "note: a,b|c\nlist[2\t]: a,b\tc|d")
  }

  @Test(arguments: [
    ("a", "a"), ("_x", "_x"), ("user.name", "user.name"), ("A9_.", "A9_."), ("2key", #""2key""#),
    ("foo-bar", #""foo-bar""#), ("é", #""é""#), ("", #""""#), ("a b", #""a b""#), ("#", ##""#""##),
  ])
  func keysAreBareOnlyWhenTheyMatchSection7_3(_ key: String, _ expected: String) {
    #expect(
      encode(.object(JSONObject([(key: key, value: JSONValue.number(JSONNumber(Int64(1))))]))) == "\(expected): 1")
  }

  @Test func rootContainers() {
    #expect(encode([:]) == "")
    #expect(encode([]) == "[]")
    #expect(encode("hello") == "hello")
    #expect(encode([1, "a"]) == "[2]: 1,a")
  }

  @Test func rootStringStartingWithByteOrderMarkIsQuoted() throws {
    let value: JSONValue = "\u{FEFF}x"
    #expect(encode(value) == "\"\u{FEFF}x\"")
    #expect(try TOONDecoder().decode(Array(encode(value).utf8)) == value)
  }

  @Test func allFormsRoundTrip() throws {
    let value: JSONValue = [
      "servers": ["a": ["host": "x", "port": 1], "b": ["host": "y", "port": 2]],
      "rows": [
        ["id": 1, "geo": ["lat": .number(JSONNumber(validatedLiteral: "1.5")), "lon": -2]],
        ["id": 2, "geo": ["lat": 0, "lon": 3]],
      ],
      "items": [
        ["config": ["p": ["x": 1], "q": ["x": 2]], "status": "ok"],
        ["list": [[1, 2], [], ["a": 1]]], [:], "text", [["k": "v"]],
      ],
      "empty": [:], "none": [], "matrix": [[1], [2, 3]],
    ]
    for encoder in [TOONEncoder(), TOONEncoder(indent: 4, delimiter: .tab), TOONEncoder(indent: 1, delimiter: .pipe)] {
      let text = encoder.encode(value)
      #expect(!text.hasSuffix("\n"))
      #expect(!text.split(separator: "\n").contains { $0.hasSuffix(" ") })
      #expect(try TOONDecoder(indent: encoder.indent).decode(text) == value, "\(text)")
    }
  }

  @Test func keyedAndNestedFormsAreChosenByShape() {
    let value: JSONValue = ["m": ["a": ["x": 1, "g": ["y": true]], "b": ["g": ["y": false], "x": 2]]]
    #expect(encode(value) == "m[2:]{x,g{y}}:\n  a: 1,true\n  b: 2,false")
  }
}
