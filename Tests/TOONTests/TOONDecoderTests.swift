import JSON
import TOON
import Testing

/// Decoder behaviour the specification leaves to implementations, or that the contract
/// relies on (see the decisions listed on `TOONDecoder`).
@Suite struct TOONDecoderTests {
  let decoder = TOONDecoder()

  func decode(_ bytes: [UInt8], strict: Bool = true) throws -> JSONValue {
    try TOONDecoder(strict: strict).decode(bytes)
  }

  func errorCode(_ text: String, strict: Bool = true) -> TOONError.Code? {
    do {
      _ = try TOONDecoder(strict: strict).decode(Array(text.utf8))
      return nil
    } catch {
      return error.code
    }
  }

  @Test func byteOrderMarkAtStartIsIgnored() throws {
    #expect(try decode([0xEF, 0xBB, 0xBF] + Array("a: 1".utf8)) == ["a": 1])
    #expect(try decoder.decode("\u{FEFF}a: 1") == ["a": 1])
  }

  @Test func byteOrderMarkElsewhereIsContent() throws {
    #expect(try decoder.decode("a: \u{FEFF}x") == ["a": "\u{FEFF}x"])
  }

  @Test func crlfLineEndingsDecodeLikeLF() throws {
    let text = "kind: 1\r\ntags[1]:\r\n  - [2]: t,x\r\ncontent: \"a\\r\\nb\"\r\n"
    #expect(try decoder.decode(text) == ["kind": 1, "tags": [["t", "x"]], "content": "a\r\nb"])
  }

  @Test func carriageReturnInsideALineIsContent() throws {
    #expect(try decoder.decode("a: x\ry\nb: 2") == ["a": "x\ry", "b": 2])
  }

  @Test func duplicateKeysAreRejectedInStrictMode() throws {
    let error = try #require(throws: TOONError.self) { try decoder.decode("id: 1\nkind: 1\nid: 2") }
    #expect(error.code == .duplicateKey)
    #expect(error.line == 3)
  }

  @Test func duplicateKeysAreLastWriteWinsInNonStrictMode() throws {
    let value = try TOONDecoder(strict: false).decode("id: 1\nkind: 1\nid: 2")
    #expect(value == ["id": 2, "kind": 1])
    #expect(value.objectValue?.orderedKeys == ["id", "kind"])
  }

  @Test func rawControlCharactersInQuotesAreData() throws {
    // TOON 1.x–3.0 encoders wrote C0 controls unescaped inside quotes.
    for strict in [true, false] {
      let value = try decode(Array("content: \"a\u{8}b\u{0}c\u{1F}\"".utf8), strict: strict)
      #expect(value == ["content": "a\u{8}b\u{0}c\u{1F}"])
    }
  }

  @Test(arguments: [#"\b"#, #"\f"#, #"\/"#, #"\u12"#, #"\u12G4"#, #"\uD83D\uDE00"#, #"\uDC00"#, #"\x41"#, #"\'"#])
  func escapesOutsideSection7_1AreRejectedInEveryMode(_ escape: String) {
    #expect(errorCode("a: \"x\(escape)\"") == .invalidEscape)
    #expect(errorCode("a: \"x\(escape)\"", strict: false) == .invalidEscape)
  }

  @Test func unicodeEscapesDecodeCaseInsensitively() throws {
    #expect(try decoder.decode(#"a: "\u00e9\u00C9\u0000\u2028""#) == ["a": "éÉ\u{0}\u{2028}"])
  }

  @Test(arguments: [
    ("42", JSONValue.number(JSONNumber(validatedLiteral: "42"))),
    ("-0", .number(JSONNumber(Int64(0)))), ("1.5000", .number(JSONNumber(validatedLiteral: "1.5"))),
    ("-1E+03", .number(JSONNumber(Int64(-1000)))), ("0e1", .number(JSONNumber(Int64(0)))),
    ("05", .string("05")), ("-007", .string("-007")), ("+1", .string("+1")), (".5", .string(".5")),
    ("5.", .string("5.")), ("1e", .string("1e")), ("0x10", .string("0x10")), ("Infinity", .string("Infinity")),
    ("NaN", .string("NaN")), ("1_000", .string("1_000")), ("١٢", .string("١٢")), ("True", .string("True")),
    ("nul", .string("nul")),
  ])
  func numberGrammarOfSection4(_ token: String, _ expected: JSONValue) throws {
    let value = try decoder.decode("v: \(token)")
    #expect(value == ["v": expected])
  }

  @Test func largeIntegersKeepTheirExactLiteral() throws {
    let value = try decoder.decode("a: 9007199254740993\nb: 123456789012345678901234567890\nc: 1e400")
    #expect(value["a"]?.numberValue?.literal == "9007199254740993")
    #expect(value["a"]?.numberValue?.int64Value == 9_007_199_254_740_993)
    #expect(value["b"]?.numberValue?.literal == "123456789012345678901234567890")
    #expect(value["c"]?.numberValue?.literal == "1e400")
  }

  @Test func errorDescriptionNamesLineAndColumn() throws {
    let error = try #require(throws: TOONError.self) { try decoder.decode("a:\n  user") }
    #expect(error.code == .missingColon)
    #expect(error.line == 2 && error.column == 3)
    #expect(error.description.hasPrefix("line 2, column 3: "))
  }

  @Test func columnsCountUnicodeScalars() throws {
    let error = try #require(throws: TOONError.self) { try decoder.decode("é😀: \"x\\q\"") }
    #expect(error.code == .invalidEscape)
    #expect(error.column == 7)
  }

  @Test func maxDepthIsInclusive() throws {
    let three = "a:\n  b:\n    c: 1"
    #expect(try TOONDecoder(maxDepth: 3).decode(three) == ["a": ["b": ["c": 1]]])
    let error = try #require(throws: TOONError.self) { try TOONDecoder(maxDepth: 2).decode(three) }
    #expect(error.code == .tooDeep)
    #expect(error.line == 2)
  }

  @Test func maxDepthCountsArraysAndListItems() throws {
    let text = "tags[1]:\n  - [2]: t,x"
    #expect(try TOONDecoder(maxDepth: 3).decode(text) == ["tags": [["t", "x"]]])
    #expect(throws: TOONError.self) { try TOONDecoder(maxDepth: 2).decode(text) }
    #expect(throws: TOONError.self) { try TOONDecoder(maxDepth: 2).decode("a[1]:\n  - []") }
    #expect(throws: TOONError.self) { try TOONDecoder(maxDepth: 2).decode("a[1]{b{c}}:\n  1") }
  }

  @Test func stringAndByteInputAgree() throws {
    let text = "kind: 1\ntags[2]:\n  - [2]: t,ü\n  - [0]:\ncontent: \"#hi\""
    #expect(try decoder.decode(text) == decoder.decode(Array(text.utf8)))
  }

  @Test func nonStrictModeCountsALeadingTabAsOneLevel() throws {
    #expect(try TOONDecoder(strict: false).decode("a:\n\tb: 1") == ["a": ["b": 1]])
    #expect(errorCode("a:\n\tb: 1") == .tabIndentation)
  }

  @Test func nonStrictModeDoesNotCheckCounts() throws {
    #expect(try TOONDecoder(strict: false).decode("t[5]: a,b") == ["t": ["a", "b"]])
    #expect(errorCode("t[5]: a,b") == .countMismatch)
  }

  @Test func legacyEmptyArrayAndModernFormAgree() throws {
    #expect(try decoder.decode("tags[0]:\ncontent: x") == decoder.decode("tags: []\ncontent: x"))
  }

  @Test func emptyDocumentIsEmptyObject() throws {
    #expect(try decoder.decode("") == [:])
    #expect(try decoder.decode("\n\n# only a comment\n") == [:])
    #expect(try decode([0xEF, 0xBB, 0xBF]) == [:])
  }
}
