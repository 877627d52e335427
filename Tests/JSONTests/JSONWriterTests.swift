import BLSTestSupport
import JSON
import Testing

/// ``JSONWriter`` must write exactly what JavaScript's `JSON.stringify` writes (NIP-01).
@Suite struct JSONWriterTests {
  /// JSON.stringify's output for each C0 control character.
  static let controlEscapes: [String] = (0..<0x20).map { code in
    switch code {
    case 0x08: #"\b"#
    case 0x09: #"\t"#
    case 0x0A: #"\n"#
    case 0x0C: #"\f"#
    case 0x0D: #"\r"#
    default: #"\u00"# + String(code >> 4, radix: 16) + String(code & 0xF, radix: 16)
    }
  }

  @Test func allC0ControlsAreEscapedLikeJavaScript() {
    for code in 0..<0x20 {
      let string = String(Character(Unicode.Scalar(UInt8(code))))
      #expect(JSONValue.string(string).serialized == "\"\(Self.controlEscapes[code])\"", "U+\(code)")
    }
    #expect(JSONValue.string("\u{1F}").serialized == #""\u001f""#)
  }

  @Test func quotesAndBackslashesAreEscapedAndEverythingElseIsRaw() {
    let raw = "/ \u{7F} é 中 😀 \u{2028} \u{2029} \u{FEFF} \u{A0}"
    #expect(JSONValue.string("a\"b\\c" + raw).serialized == "\"a\\\"b\\\\c\(raw)\"")
  }

  @Test func compactLayoutAndKeyOrder() {
    let value: JSONValue = ["z": [1, "x", nil, true], "a": [:], "m": []]
    #expect(value.serialized == #"{"z":[1,"x",null,true],"a":{},"m":[]}"#)
  }

  @Test func numbersKeepTheirLiteral() {
    #expect(JSONValue.number(JSONNumber(validatedLiteral: "9007199254740993")).serialized == "9007199254740993")
    #expect(JSONValue.number(JSONNumber(Int64.min)).serialized == "-9223372036854775808")
  }

  @Test func parseThenSerializeIsCompactAndStable() throws {
    let text = #"{ "a" : [ 1 , "\u00e9\n" ] , "b" : "\ud83d\ude00" }"#
    #expect(try JSONValue.parse(text).serialized == "{\"a\":[1,\"é\\n\"],\"b\":\"😀\"}")
  }

  /// NIP-01 vectors: `[0,pubkey,created_at,kind,tags,content]` as JSON.stringify wrote it.
  @Test(arguments: Self.nip01Vectors())
  func serializesNIP01CommitmentsLikeJavaScript(_ vector: NIP01Vector) {
    #expect(vector.commitment.serialized == vector.canonical)
  }

  struct NIP01Vector: Sendable, CustomTestStringConvertible {
    let name: String
    let commitment: JSONValue
    let canonical: String
    var testDescription: String { name }
  }

  static func nip01Vectors() -> [NIP01Vector] {
    guard let file = try? Fixtures.json("vectors/nip01-events.json"), let valid = file["valid"]?.arrayValue
    else { return [] }
    return valid.compactMap { entry in
      guard let event = entry["event"], let canonical = entry["canonical"]?.stringValue,
        let pubkey = event["pubkey"], let createdAt = event["created_at"], let kind = event["kind"],
        let tags = event["tags"], let content = event["content"]
      else { return nil }
      return NIP01Vector(
        name: entry["name"]?.stringValue ?? "?", commitment: [0, pubkey, createdAt, kind, tags, content],
        canonical: canonical)
    }
  }

  @Test func nip01VectorsAreLoaded() {
    #expect(Self.nip01Vectors().count == 85)
  }
}

/// The writer and the parser skip long runs of plain bytes eight at a time; every byte that
/// matters must still be seen wherever it falls in a word.
@Suite struct JSONWordScanTests {
  /// Every ASCII byte and a few non-ASCII characters, at every offset of a 40-byte string.
  static let specials: [String] =
    (0..<0x80).map { String(Character(Unicode.Scalar(UInt8($0)))) } + ["é", "中", "😀", "\u{2028}"]

  @Test(arguments: 0..<40)
  func everySpecialByteIsEscapedAndParsedAtEveryOffset(offset: Int) throws {
    for special in Self.specials {
      let text = String(repeating: "a", count: offset) + special + String(repeating: "b", count: 39 - offset)
      let written = JSONValue.string(text).serialized
      let expected = JSONValue.string("").serialized.dropLast() + Self.escapedByteWise(text) + "\""
      #expect(written == expected, "offset \(offset), U+\(special.unicodeScalars.first!.value)")
      #expect(try JSONValue.parse(written) == .string(text))
    }
  }

  /// JSON.stringify's escaping, one character at a time.
  static func escapedByteWise(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x22: out += "\\\""
      case 0x5C: out += "\\\\"
      case 0x00..<0x20: out += JSONWriterTests.controlEscapes[Int(scalar.value)]
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
