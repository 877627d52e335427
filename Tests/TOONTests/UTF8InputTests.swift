import JSON
import TOON
import Testing

/// Byte input must be well-formed UTF-8 (§4); nothing is replaced by U+FFFD.
@Suite struct UTF8InputTests {
  static let illFormed: [(String, [UInt8])] = [
    ("overlong NUL", [0xC0, 0x80]), ("overlong slash", [0xE0, 0x80, 0xAF]),
    ("surrogate", [0xED, 0xA0, 0x80]), ("beyond U+10FFFF", [0xF4, 0x90, 0x80, 0x80]),
    ("lone continuation", [0x80]), ("truncated 3-byte", [0xE2, 0x82]), ("invalid byte", [0xFF]),
    ("5-byte lead", [0xF8, 0x88, 0x80, 0x80, 0x80]), ("Latin-1 é", [0xE9]),
  ]

  @Test(arguments: illFormed)
  func illFormedValueIsRejected(_ name: String, _ bad: [UInt8]) {
    for prefix in ["content: ", "content: \"", "# comment ", "t[1]: ", "k: 1\n\""] {
      let error = #expect(throws: TOONError.self) { try TOONDecoder().decode(Array(prefix.utf8) + bad) }
      #expect(error?.code == .invalidUTF8, "\(name) after \(prefix.debugDescription)")
    }
    #expect(throws: TOONError.self) { try TOONDecoder(strict: false).decode(Array("a: ".utf8) + bad + [0x0A]) }
  }

  @Test func errorPointsAtTheBadByte() throws {
    let bytes = Array("a: 1\nb: ü".utf8) + [0xC3]
    let error = try #require(throws: TOONError.self) { try TOONDecoder().decode(bytes) }
    #expect(error.code == .invalidUTF8)
    #expect(error.line == 2 && error.column == 5)
  }

  @Test func wellFormedMultibyteTextDecodes() throws {
    let text = "content: \u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF} \u{2028}"
    #expect(try TOONDecoder().decode(Array(text.utf8)) == ["content": .string(String(text.dropFirst(9)))])
  }
}
