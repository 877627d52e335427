import HTTPCore

/// Encodes an ``HTTPResponse`` as a CGI response (RFC 3875 §6), the form a FastCGI responder
/// writes on `FCGI_STDOUT`: a `Status` header, the response's own headers, `Content-Length`,
/// a blank line, then the body.
enum CGIResponse {
  /// The bytes to write, headers and body in one buffer.
  static func encode(_ response: HTTPResponse) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(128 + response.body.count)
    func line(_ name: String, _ value: String) {
      bytes.append(contentsOf: name.utf8)
      bytes.append(contentsOf: ": ".utf8)
      bytes.append(contentsOf: value.utf8)
      bytes.append(contentsOf: "\r\n".utf8)
    }
    line("Status", "\(response.status) \(reasonPhrase(response.status))")
    for header in response.headers where isSafe(header.name) && isSafe(header.value) {
      let lowered = header.name.lowercased()
      if lowered == "status" || lowered == "content-length" { continue }
      line(header.name, header.value)
    }
    line("Content-Length", String(response.body.count))
    bytes.append(contentsOf: "\r\n".utf8)
    bytes.append(contentsOf: response.body)
    return bytes
  }

  /// A header name or value that cannot break the header block (no CR, LF or NUL).
  static func isSafe(_ text: String) -> Bool {
    !text.utf8.contains { $0 == 13 || $0 == 10 || $0 == 0 }
  }

  /// The standard reason phrase of the statuses BLS produces (RFC 9110 §15).
  static func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 200: "OK"
    case 201: "Created"
    case 204: "No Content"
    case 400: "Bad Request"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 408: "Request Timeout"
    case 413: "Content Too Large"
    case 431: "Request Header Fields Too Large"
    case 415: "Unsupported Media Type"
    case 500: "Internal Server Error"
    case 502: "Bad Gateway"
    case 503: "Service Unavailable"
    case 504: "Gateway Timeout"
    default: status < 400 ? "OK" : "Error"
    }
  }
}
