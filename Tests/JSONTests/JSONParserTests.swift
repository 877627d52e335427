import JSON
import Testing

@Suite struct JSONParserTests {
  @Test func parsesNestedValues() throws {
    let value = try JSONValue.parse(#"{"a":[1,"x",null,true]}"#)
    #expect(value == ["a": [1, "x", nil, true]])
  }
}
