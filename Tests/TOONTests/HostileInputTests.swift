import JSON
import TOON
import Testing

/// Inputs built to exhaust memory, stack or time. Each must either decode or fail with a
/// ``TOONError`` — never crash, recurse without bound, or allocate for a declared length.
@Suite struct HostileInputTests {
  static let megabyte = 1 << 20

  func code(_ text: String, _ decoder: TOONDecoder = TOONDecoder()) -> TOONError.Code? {
    do {
      _ = try decoder.decode(Array(text.utf8))
      return nil
    } catch {
      return error.code
    }
  }

  @Test func megabyteSingleLineValueDecodes() throws {
    let long = String(repeating: "x", count: Self.megabyte)
    let value = try TOONDecoder().decode(Array("content: \(long)".utf8))
    #expect(value["content"]?.stringValue?.utf8.count == Self.megabyte)
  }

  @Test func megabyteLinesOfStructuralCharactersFailOrDecode() throws {
    for unit in ["[", "{", "\"", "\\", "-", ":", "[1]", "\"a\":", "a[", ","] {
      let line = String(repeating: unit, count: Self.megabyte / unit.utf8.count)
      for text in [line, "a: \(line)", "t[2]: \(line)", "t[1]{\(line)}:\n  x", "- \(line)"] {
        do {
          _ = try TOONDecoder().decode(Array(text.utf8))
        } catch {
          #expect(!error.message.isEmpty)
        }
      }
    }
  }

  @Test func megabyteInlineArrayWithLyingCountIsRejected() {
    let values = Array(repeating: "a", count: Self.megabyte / 2).joined(separator: ",")
    #expect(code("t[3]: \(values)") == .countMismatch)
  }

  @Test func hundredThousandNestedFieldGroupsHitTheDepthLimit() {
    let depth = 100_000
    let header = "t[1]{" + String(repeating: "a{", count: depth) + "b" + String(repeating: "}", count: depth + 1) + ":"
    #expect(code(header + "\n  1") == .tooDeep)
    #expect(code(header + "\n  1", TOONDecoder(strict: false)) == .tooDeep)
  }

  @Test func deepObjectNestingHitsTheDepthLimit() {
    // Indentation makes depth quadratic in size: 2000 levels at indent 1 is ~2 MB.
    let text = (0..<2000).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n")
    #expect(code(text, TOONDecoder(indent: 1)) == .tooDeep)
    #expect(code(text, TOONDecoder(strict: false, indent: 1)) == .tooDeep)
  }

  @Test func deepListNestingHitsTheDepthLimit() {
    let lines = ["x[1]:"] + (1..<2000).map { String(repeating: " ", count: $0) + "- [1]:" }
    #expect(code(lines.joined(separator: "\n"), TOONDecoder(indent: 1)) == .tooDeep)
  }

  @Test func hugeDeclaredLengthsAreNeverAllocated() throws {
    #expect(code("[99999999999]: a,b") == .countMismatch)
    #expect(code("[1000000000000000000]: a,b") == .countMismatch)
    #expect(code("t[9223372036854775807]:\n  - a\n  - b") == .countMismatch)
    #expect(code("t[1000000000000000000]{a}:\n  1\n  2") == .countMismatch)
    #expect(code("m[1000000000000000000:]{a}:\n  k: 1") == .countMismatch)
    #expect(code("t[99999999999999999999]: a") == .lengthTooLarge)
    let lenient = try TOONDecoder(strict: false).decode("t[1000000000000000000]: a,b")
    #expect(lenient == ["t": ["a", "b"]])
  }

  @Test func manyKeysDecodeInLinearTime() throws {
    let count = 100_000
    let text = (0..<count).map { "k\($0): \($0)" }.joined(separator: "\n")
    let value = try TOONDecoder().decode(Array(text.utf8))
    #expect(value.objectValue?.count == count)
    #expect(value["k99999"] == .number(JSONNumber(Int64(99_999))))
  }

  @Test func manyDuplicateKeysFailFastOrCollapse() throws {
    let text = Array(repeating: "k: 1", count: 100_000).joined(separator: "\n")
    let error = try #require(throws: TOONError.self) { try TOONDecoder().decode(text) }
    #expect(error.code == .duplicateKey && error.line == 2)
    #expect(try TOONDecoder(strict: false).decode(text) == ["k": 1])
  }

  @Test func manyListItemsAndWideRowsDecode() throws {
    let items = "t[100000]:\n" + Array(repeating: "  - [2]: a,b", count: 100_000).joined(separator: "\n")
    #expect(try TOONDecoder().decode(items)["t"]?.arrayValue?.count == 100_000)
    let fields = (0..<10_000).map { "f\($0)" }.joined(separator: ",")
    let row = (0..<10_000).map { "\($0)" }.joined(separator: ",")
    let wide = try TOONDecoder().decode("t[2]{\(fields)}:\n  \(row)\n  \(row)")
    #expect(wide["t"]?.arrayValue?.first?.objectValue?.count == 10_000)
  }

  @Test func manyBlankAndCommentLinesAreSkipped() throws {
    let filler = String(repeating: "\n# c\n   \n", count: 100_000)
    #expect(try TOONDecoder().decode("a: 1\(filler)b: 2") == ["a": 1, "b": 2])
  }
}
