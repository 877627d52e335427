import JSON
import Testing

/// RFC 8259 strictness of ``JSONParser``.
@Suite struct JSONParserTests {
  @Test func parsesEveryKindOfValue() throws {
    let value = try JSONValue.parse(#" {"a":[1,-2.5e3,"x",null,true,false,{}],"b":{"c":[]}} "#)
    #expect(
      value == ["a": [1, .number(JSONNumber(validatedLiteral: "-2500")), "x", nil, true, false, [:]], "b": ["c": []]])
    #expect(value.objectValue?.orderedKeys == ["a", "b"])
  }

  @Test func scalarsAreValidTexts() throws {
    #expect(try JSONValue.parse("42") == 42)
    #expect(try JSONValue.parse("\"s\"") == "s")
    #expect(try JSONValue.parse("null") == nil)
  }

  @Test(arguments: [
    "", " ", "[1,]", "{\"a\":1,}", "[01]", "-", "1.", ".5", "+1", "1e", "1e+", "NaN", "Infinity",
    "'a'", "{a:1}", "[1 2]", "{\"a\" 1}", "tru", "nul", "[1]x", "// c\n1", "\"a\tb\"", "\"a\nb\"",
    "\"\u{0}\"", "\"\\x\"", "\"\\'\"", "\"\\u12\"", "\"\\uZZZZ\"", "\"unterminated", "[", "{",
    "\u{FEFF}1", "[1]]", "0x10",
  ])
  func rejectsInvalidText(_ text: String) {
    #expect(throws: JSONError.self) { try JSONValue.parse(text) }
  }

  @Test func surrogatePairEscapesDecode() throws {
    #expect(try JSONValue.parse(#""\ud83d\ude00 \u00e9 \u0000""#) == "😀 é \u{0}")
  }

  @Test(arguments: [#""\ud800""#, #""\udc00""#, #""\ud83d\u0041""#, #""\ud83d""#, #""\ude00\ud83d""#])
  func loneSurrogateEscapesAreRejected(_ text: String) {
    #expect(throws: JSONError.self) { try JSONValue.parse(text) }
  }

  @Test(
    arguments: [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xE2, 0x82], [0xFF]] as [[UInt8]])
  func illFormedUTF8IsRejectedNotReplaced(_ bad: [UInt8]) {
    #expect(throws: JSONError.self) { try JSONValue.parse([0x22] + bad + [0x22]) }
    #expect(throws: JSONError.self) { try JSONValue.parse([0x5B] + bad + [0x5D]) }
    #expect(!isWellFormedUTF8(bad))
  }

  @Test func wellFormedUTF8IsKept() throws {
    let text = "\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"
    #expect(try JSONValue.parse(Array("\"\(text)\"".utf8)) == .string(text))
    #expect(isWellFormedUTF8(Array(text.utf8)))
  }

  @Test func depthLimitIsEnforcedWithoutRecursingFurther() throws {
    let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
    #expect(throws: Never.self) { try JSONValue.parse(ok) }
    let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
    #expect(throws: JSONError.self) { try JSONValue.parse(tooDeep) }
    #expect(throws: JSONError.self) { try JSONValue.parse(String(repeating: "[", count: 100_000)) }
    #expect(throws: JSONError.self) { try JSONValue.parse(String(repeating: "{\"a\":", count: 100_000)) }
    #expect(throws: JSONError.self) { try JSONParser(maxDepth: 2).parse(Array("[[[]]]".utf8)) }
  }

  @Test func repeatedKeyKeepsTheLastValueAtTheFirstPosition() throws {
    let value = try JSONValue.parse(#"{"a":1,"b":2,"a":3}"#)
    #expect(value == ["a": 3, "b": 2])
    #expect(value.objectValue?.orderedKeys == ["a", "b"])
  }

  @Test func repeatedKeyIsAnErrorWhenAsked() throws {
    let parser = JSONParser(rejectsDuplicateKeys: true)
    let error = try #require(throws: JSONError.self) { try parser.parse(Array(#"{"a":1,"b":{"a":2},"a":3}"#.utf8)) }
    #expect(error.offset == 19)
    #expect(error.reason == #"key "a" given twice"#)
    #expect(try parser.parse(Array(#"{"a":1,"b":{"a":2}}"#.utf8)) == ["a": 1, "b": ["a": 2]])
  }

  @Test func errorNamesTheOffset() throws {
    let error = try #require(throws: JSONError.self) { try JSONValue.parse("[1,]") }
    #expect(error.offset == 3)
    #expect(error.description.hasSuffix("at byte 3"))
  }
}
