import HTTPCore
import Testing

@testable import BLSFastCGI

/// The pure parts of the transport: CGI parameters in, CGI response bytes out.
@Suite("FastCGI transport mapping")
struct TransportTests {
  @Test("the path comes from REQUEST_URI without its query; DOCUMENT_URI and SCRIPT_NAME+PATH_INFO are fallbacks")
  func path() {
    #expect(CGIVariables(["REQUEST_URI": "/health?x=1&y=2", "DOCUMENT_URI": "/other"]).path == "/health")
    #expect(CGIVariables(["DOCUMENT_URI": "/handle-payment"]).path == "/handle-payment")
    #expect(CGIVariables(["SCRIPT_NAME": "/bls", "PATH_INFO": "/health"]).path == "/bls/health")
    #expect(CGIVariables([:]).path == "/")
    #expect(CGIVariables(["REQUEST_URI": "?only=query"]).path == "/")
  }

  @Test("method is upper-cased, GET when absent")
  func method() {
    #expect(CGIVariables(["REQUEST_METHOD": "post"]).method == "POST")
    #expect(CGIVariables([:]).method == "GET")
  }

  @Test("HTTP_* parameters become lower-case dashed headers; CONTENT_TYPE and CONTENT_LENGTH too")
  func headers() {
    let headers = CGIVariables([
      "HTTP_X_FORWARDED_FOR": "10.0.0.1", "HTTP_ACCEPT": "*/*", "CONTENT_TYPE": "application/json",
      "CONTENT_LENGTH": "12", "REMOTE_ADDR": "127.0.0.1", "HTTP_": "odd",
    ]).headers
    #expect(headers["x-forwarded-for"] == "10.0.0.1")
    #expect(headers["accept"] == "*/*")
    #expect(headers["content-type"] == "application/json")
    #expect(headers["content-length"] == "12")
    #expect(headers["remote-addr"] == nil, "CGI variables that are not headers stay out")
  }

  @Test(
    "CONTENT_LENGTH: digits only, 18 at most",
    arguments: [
      ("", CGIVariables.ContentLength.absent), ("0", .bytes(0)), ("103768", .bytes(103768)), ("-1", .invalid),
      (" 5", .invalid), ("0x10", .invalid), ("1e3", .invalid), ("9999999999999999999", .invalid),
    ])
  func contentLength(_ text: String, _ expected: CGIVariables.ContentLength) {
    let params = text.isEmpty ? CGIVariables([:]) : CGIVariables(["CONTENT_LENGTH": text])
    #expect(params.contentLength == expected)
  }

  @Test("a response is a Status line, its headers, Content-Length, a blank line, the body")
  func cgiResponse() {
    let response = HTTPResponse(
      status: 405, headers: [(name: "Content-Type", value: "application/json"), (name: "Allow", value: "POST")],
      body: Array("{}".utf8))
    let text = String(decoding: CGIResponse.encode(response), as: UTF8.self)
    #expect(
      text
        == "Status: 405 Method Not Allowed\r\nContent-Type: application/json\r\nAllow: POST\r\nContent-Length: 2\r\n\r\n{}"
    )
  }

  @Test("headers that could split the header block, or override Status/Content-Length, are dropped")
  func unsafeHeaders() {
    let response = HTTPResponse(
      status: 200,
      headers: [
        (name: "X-Evil", value: "a\r\nSet-Cookie: x=1"), (name: "Content-Length", value: "999"),
        (name: "Status", value: "500"), (name: "X-Ok", value: "yes"),
      ], body: [])
    let text = String(decoding: CGIResponse.encode(response), as: UTF8.self)
    #expect(text == "Status: 200 OK\r\nX-Ok: yes\r\nContent-Length: 0\r\n\r\n")
  }

  @Test("413 and unknown statuses get a reason phrase")
  func reasonPhrases() {
    #expect(CGIResponse.reasonPhrase(413) == "Content Too Large")
    #expect(CGIResponse.reasonPhrase(599) == "Error")
    #expect(CGIResponse.reasonPhrase(299) == "OK")
  }

  @Test("the transport's own refusals: 413 for a body over the limit, 400 for a bad or wrong CONTENT_LENGTH")
  func rejections() {
    #expect(TransportRejection.payloadTooLarge(limit: 100).status == 413)
    #expect(TransportRejection.payloadTooLarge(limit: 100).message == "Request body too large: the limit is 100 bytes")
    #expect(TransportRejection.invalidContentLength.status == 400)
    #expect(TransportRejection.invalidContentLength.message == "CONTENT_LENGTH must be a decimal number of bytes")
    let mismatch = TransportRejection.bodyLengthMismatch(received: 3, declared: 5)
    #expect(mismatch.status == 400)
    #expect(mismatch.message == "body has 3 bytes but CONTENT_LENGTH says 5")
  }
}
