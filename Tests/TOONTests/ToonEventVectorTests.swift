import JSON
import TOON
import Testing

/// Signed Nostr events and their TOON text as real encoders wrote it: the reference's
/// TOON 1.4.0 client library and a spec-4 encoder in several key orders and delimiters.
@Suite struct ToonEventVectorTests {
  @Test func vectorsAreLoaded() {
    #expect(ToonEventVector.events.count == 85)
    #expect(ToonEventVector.all.count > 500)
    #expect(ToonEventVector.all.contains { $0.encoding == "legacy_js_toon_1_4_0" && $0.category == "contract" })
  }

  /// Every encoding decodes, from its UTF-8 bytes in strict mode, to exactly its event.
  @Test(arguments: ToonEventVector.all)
  func decodesToEvent(_ vector: ToonEventVector) throws {
    let decoded = try TOONDecoder(maxDepth: 8).decode(Array(vector.toon.utf8))
    #expect(decoded == vector.event)
  }

  /// Our canonical encoding of each event decodes back to the same event.
  @Test(arguments: ToonEventVector.events)
  func canonicalEncodingRoundTrips(_ vector: ToonEventVector) throws {
    for delimiter in TOONDelimiter.allCases {
      let text = TOONEncoder(delimiter: delimiter).encode(vector.event)
      #expect(try TOONDecoder().decode(text) == vector.event)
    }
  }
}

extension ToonEventVectorTests {
  /// The spec-4 encodings in the vectors come from an independent encoder (Python
  /// `toon_format`) given the event's own key order; ours must produce the same bytes.
  @Test(
    arguments: ToonEventVector.all.filter {
      ["nostr_tools_order", "pipe_delimiter", "tab_delimiter"].contains($0.encoding)
    })
  func encoderMatchesIndependentEncoder(_ vector: ToonEventVector) {
    let delimiter: TOONDelimiter =
      switch vector.encoding {
      case "pipe_delimiter": .pipe
      case "tab_delimiter": .tab
      default: .comma
      }
    #expect(TOONEncoder(delimiter: delimiter).encode(vector.event) == vector.toon)
  }
}
