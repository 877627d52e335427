import BLSTestSupport
import FastCGIWire
import Foundation
import Testing

/// Requests as libfcgi's client code writes them (`cgi-fcgi`, captured in
/// `Tests/Fixtures/fastcgi`) parse into the request that was sent, whole and byte by byte.
@Suite struct LibFCGIBytesTests {
  func parse(_ file: String, pieces: [Int]) -> [FastCGIEvent] {
    var parser = FastCGIConnectionParser(limits: FastCGILimits(maxBodyBytes: 100_000))
    return parser.consume([UInt8](Fixtures.data("fastcgi/\(file)")), pieces: pieces)
  }

  func text(_ slice: ArraySlice<UInt8>?) -> String? { slice.map { String(decoding: $0, as: UTF8.self) } }

  @Test(arguments: [[Int.max], [1], [3, 7, 11, 5]])
  func postWithABody(_ pieces: [Int]) throws {
    let events = parse("libfcgi-post.bin", pieces: pieces)
    let request = try #require(events.first?.request)
    #expect(events.count == 1)
    #expect(request.requestId == 1)
    #expect(!request.keepConnection)
    #expect(text(request.params["REQUEST_METHOD"]) == "POST")
    #expect(text(request.params["REQUEST_URI"]) == "/handle-payment")
    #expect(text(request.params["CONTENT_TYPE"]) == "application/json")
    #expect(text(request.params["CONTENT_LENGTH"]) == "14")
    #expect(request.params.count(where: { _ in true }) == 4)
    #expect(request.body == Array(#"{"amount":"1"}"#.utf8))
  }

  @Test(arguments: [[Int.max], [1]])
  func getWithPaddingAndNoBody(_ pieces: [Int]) throws {
    let events = parse("libfcgi-get.bin", pieces: pieces)
    let request = try #require(events.first?.request)
    #expect(text(request.params["REQUEST_METHOD"]) == "GET")
    #expect(text(request.params["REQUEST_URI"]) == "/health")
    #expect(request.body.isEmpty)
  }

  @Test(arguments: [[Int.max], [4096], [1000, 1]])
  func longValueAndABodyInNineRecords(_ pieces: [Int]) throws {
    let events = parse("libfcgi-large.bin", pieces: pieces)
    let request = try #require(events.first?.request)
    #expect(events.count == 1)
    #expect(text(request.params["HTTP_X_LONG"]) == String(repeating: "x", count: 300))
    #expect(request.body == [UInt8](repeating: UInt8(ascii: "b"), count: 70000))
  }
}
