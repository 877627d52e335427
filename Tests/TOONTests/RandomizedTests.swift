import JSON
import TOON
import Testing

/// Seeded, reproducible randomized checks: encode→decode round trips over generated
/// values, and mutated documents that must decode or fail cleanly (never crash).
@Suite struct RandomizedTests {
  /// SplitMix64: small, deterministic.
  struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static let alphabet: [Character] = Array("ab_.Z09 ,|\t:\"\\[]{}#-+\n\r\u{0}\u{1F}\u{7F}é😀\u{2028}\u{FEFF}etruflsn")
  static let literals = ["0", "-0", "1", "-7", "3.25", "1e6", "1.5E-7", "9007199254740993", "1e21", "0.000001"]

  func string(_ rng: inout Generator) -> String {
    let length = Int.random(in: 0...6, using: &rng)
    return String((0..<length).map { _ in Self.alphabet.randomElement(using: &rng)! })
  }

  func value(_ rng: inout Generator, depth: Int) -> JSONValue {
    switch Int.random(in: 0..<(depth > 3 ? 5 : 8), using: &rng) {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &rng))
    case 2: return .number(JSONNumber(validatedLiteral: Self.literals.randomElement(using: &rng)!))
    case 3, 4: return .string(string(&rng))
    case 5: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in value(&rng, depth: depth + 1) })
    case 6:
      // Uniform objects, so tabular and keyed forms get exercised.
      let keys = (0..<Int.random(in: 1...3, using: &rng)).map { _ in string(&rng) }
      let rows = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
        JSONValue.object(JSONObject(keys.map { (key: $0, value: value(&rng, depth: 4)) }))
      }
      return Bool.random(using: &rng)
        ? .array(rows) : .object(JSONObject(rows.enumerated().map { (key: "k\($0.offset)", value: $0.element) }))
    default:
      let count = Int.random(in: 0...4, using: &rng)
      return .object(JSONObject((0..<count).map { _ in (key: string(&rng), value: value(&rng, depth: depth + 1)) }))
    }
  }

  @Test(arguments: 0..<8)
  func generatedValuesRoundTrip(_ seed: Int) throws {
    var rng = Generator(state: UInt64(seed))
    for _ in 0..<300 {
      let original = value(&rng, depth: 0)
      let encoder = TOONEncoder(
        indent: Int.random(in: 1...4, using: &rng), delimiter: TOONDelimiter.allCases.randomElement(using: &rng)!)
      let text = encoder.encode(original)
      let decoded = try TOONDecoder(indent: encoder.indent).decode(Array(text.utf8))
      #expect(decoded == original, "\(text.debugDescription)")
    }
  }

  @Test(arguments: 0..<8)
  func mutatedDocumentsDecodeOrFailCleanly(_ seed: Int) {
    var rng = Generator(state: UInt64(1000 + seed))
    let sources =
      ToonEventVector.events.map { Array($0.toon.utf8) }
      + FixtureCase.decodeCases.compactMap {
        $0.input.stringValue.map { Array($0.utf8) }
      }
    let inserts: [UInt8] = Array(" -:,|\t\"\\[]{}#\n\r0".utf8) + [0x80, 0xC3, 0xFF]
    for _ in 0..<400 {
      var bytes = sources.randomElement(using: &rng)!
      for _ in 0..<Int.random(in: 1...4, using: &rng) {
        let at = Int.random(in: 0...bytes.count, using: &rng)
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: bytes.insert(inserts.randomElement(using: &rng)!, at: at)
        case 1 where at < bytes.count: bytes.remove(at: at)
        default: if at < bytes.count { bytes[at] = inserts.randomElement(using: &rng)! }
        }
      }
      for strict in [true, false] {
        do {
          _ = try TOONDecoder(strict: strict, maxDepth: 8).decode(bytes)
        } catch {
          #expect(error.line >= 1 && error.column >= 1 && !error.message.isEmpty)
        }
      }
    }
  }
}
