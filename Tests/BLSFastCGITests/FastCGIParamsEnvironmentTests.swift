import Glibc
import Testing

@testable import BLSFastCGI

/// libfcgi hands the parameters over as a C `envp` array; the byte-level reader must agree
/// with the dictionary one the other transport tests use.
@Suite("FastCGI parameters from libfcgi's envp")
struct FastCGIParamsEnvironmentTests {
  /// Runs `body` with a NULL-terminated array of `NAME=value` C strings.
  static func withEnvironment<T>(
    _ entries: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> T
  ) -> T {
    var pointers: [UnsafeMutablePointer<CChar>?] = entries.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
  }

  @Test("the envp reader gives the same method, path, headers and length as the dictionary one")
  func agreesWithDictionary() {
    let values = [
      "REQUEST_METHOD": "post", "REQUEST_URI": "/handle-payment?x=1", "CONTENT_TYPE": "application/json",
      "CONTENT_LENGTH": "42", "HTTP_X_FORWARDED_FOR": "10.0.0.1", "REMOTE_ADDR": "127.0.0.1",
    ]
    let parsed = Self.withEnvironment(values.map { "\($0.key)=\($0.value)" }) { FastCGIParams(environment: $0) }
    let expected = FastCGIParams(values)
    #expect(parsed.method == "POST")
    #expect(parsed.path == "/handle-payment")
    #expect(parsed.headers == expected.headers)
    #expect(parsed.contentLength == .bytes(42))
  }

  @Test("an entry without '=' is skipped; a value may contain '='; a nil array is empty")
  func oddEntries() {
    let parsed = Self.withEnvironment(["GARBAGE", "HTTP_X_A=b=c", "REQUEST_METHOD=GET"]) {
      FastCGIParams(environment: $0)
    }
    #expect(parsed.headers == ["x-a": "b=c"])
    #expect(parsed.method == "GET")
    #expect(FastCGIParams(environment: nil).path == "/")
  }

  @Test("the request carries the body as given")
  func request() {
    let request = FastCGIParams(["REQUEST_METHOD": "POST", "REQUEST_URI": "/x"]).request(body: [1, 2, 3])
    #expect(request.method == "POST" && request.path == "/x" && request.body == [1, 2, 3])
  }
}
