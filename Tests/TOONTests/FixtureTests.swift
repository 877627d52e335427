import JSON
import TOON
import Testing

/// The TOON specification's own conformance suite, one test argument per fixture case.
@Suite struct FixtureTests {
  @Test func fixtureFilesAreAllLoaded() {
    #expect(FixtureCase.decodeCases.count + FixtureCase.encodeCases.count == 516)
    #expect(FixtureCase.decodeCases.filter(\.shouldError).count > 50)
  }

  @Test(arguments: FixtureCase.decodeCases)
  func decode(_ fixture: FixtureCase) throws {
    let text = try #require(fixture.input.stringValue)
    if fixture.shouldError {
      #expect(throws: TOONError.self) { try fixture.decoder.decode(Array(text.utf8)) }
      #expect(throws: TOONError.self) { try fixture.decoder.decode(text) }
    } else {
      let value = try fixture.decoder.decode(Array(text.utf8))
      #expect(value.orderedEquals(fixture.expected), "decoded \(value.serialized)")
      #expect(try fixture.decoder.decode(text) == value)
    }
  }

  @Test(arguments: FixtureCase.encodeCases)
  func encode(_ fixture: FixtureCase) throws {
    let expected = try #require(fixture.expected.stringValue)
    #expect(fixture.encoder.encode(fixture.input) == expected)
  }

  /// The encoder's output of every encode fixture decodes back to the fixture's input.
  @Test(arguments: FixtureCase.encodeCases)
  func encodeRoundTrips(_ fixture: FixtureCase) throws {
    let text = fixture.encoder.encode(fixture.input)
    var decoder = TOONDecoder()
    decoder.indent = fixture.encoder.indent
    #expect(try decoder.decode(text) == fixture.input)
  }
}
