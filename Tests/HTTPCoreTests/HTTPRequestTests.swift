import HTTPCore
import Testing

@Suite("HTTP messages")
struct HTTPRequestTests {
  @Test("header names are lower-cased; of two spellings of one name the last wins")
  func headerNames() {
    let request = HTTPRequest(
      method: "POST", path: "/x", headers: ["Content-Type": "a", "X-Trace": "1"], body: [7])
    #expect(request.headers == ["content-type": "a", "x-trace": "1"])
    #expect(request.body == [7])
  }

  @Test("a response keeps its headers in order, and defaults to none and an empty body")
  func response() {
    let response = HTTPResponse(status: 204, headers: [(name: "B", value: "2"), (name: "A", value: "1")])
    #expect(response.headers.map(\.name) == ["B", "A"])
    #expect(HTTPResponse(status: 200).body.isEmpty)
  }
}
