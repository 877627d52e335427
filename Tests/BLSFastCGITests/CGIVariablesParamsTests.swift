import FastCGIWire
import HTTPCore
import Testing

@testable import BLSFastCGI

/// The server reads the CGI variables from a request's `FCGI_PARAMS` bytes in one pass; that
/// byte-level reader must agree with the dictionary one the other transport tests use.
@Suite("CGI variables from FCGI_PARAMS")
struct CGIVariablesParamsTests {
  /// `pairs` encoded as FastCGI name-value pairs (FastCGI spec §3.4), validated.
  static func params(_ pairs: [(String, String)]) throws -> FastCGIParams {
    var bytes: [UInt8] = []
    for (name, value) in pairs {
      FastCGINameValuePairs.append(name: Array(name.utf8), value: Array(value.utf8), to: &bytes)
    }
    return try FastCGIParams(validating: bytes)
  }

  @Test("the params reader gives the same method, path, headers and length as the dictionary one")
  func agreesWithDictionary() throws {
    let values = [
      "REQUEST_METHOD": "post", "REQUEST_URI": "/handle-payment?x=1", "CONTENT_TYPE": "application/json",
      "CONTENT_LENGTH": "42", "HTTP_X_FORWARDED_FOR": "10.0.0.1", "SERVER_SOFTWARE": "nginx",
    ]
    let parsed = CGIVariables(try Self.params(values.map { ($0.key, $0.value) }))
    let expected = CGIVariables(values)
    #expect(parsed.method == "POST")
    #expect(parsed.path == "/handle-payment")
    #expect(parsed.headers == expected.headers)
    #expect(parsed.contentLength == .bytes(42))
  }

  @Test("a value may contain '=' and any byte; a parameter not used is skipped")
  func oddValues() throws {
    let parsed = CGIVariables(try Self.params([("HTTP_X_A", "b=c"), ("GATEWAY_INTERFACE", "CGI/1.1")]))
    #expect(parsed.headers == ["x-a": "b=c"])
    #expect(parsed.method == "GET")
    #expect(parsed.path == "/")
  }
}
