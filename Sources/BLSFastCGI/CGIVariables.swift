import FastCGIWire
import Glibc
import HTTPCore

/// The CGI/FastCGI request parameters (`REQUEST_METHOD`, `REQUEST_URI`, `HTTP_*`, …) a web
/// server sends in `FCGI_PARAMS` (RFC 3875 §4.1), reduced to what an ``HTTPRequest`` needs:
/// the method, the path, and the header fields.
struct CGIVariables {
  private var requestMethod: String?
  private var requestURI: String?
  private var documentURI: String?
  private var scriptName: String?
  private var pathInfo: String?
  private var contentLengthText: String?
  private var remoteAddress: String?
  /// HTTP header fields: every `HTTP_X_Y` parameter as `x-y`, plus `content-type` and
  /// `content-length` (which CGI passes without the `HTTP_` prefix).
  private(set) var headers: [String: String] = [:]

  /// From name → value pairs (tests, and any source other than libfcgi).
  init(_ values: [String: String]) {
    for (name, value) in values { absorb(name, value) }
  }

  /// Reads the name-value pairs of a request's `FCGI_PARAMS` stream (FastCGI spec §3.4), in
  /// one pass over bytes: `HTTP_*` become header fields, the CGI variables used here are kept,
  /// every other parameter is skipped without building a string.
  init(_ params: FastCGIParams) {
    headers.reserveCapacity(16)
    for param in params {
      param.name.withUnsafeBufferPointer { name in
        let value = { String(decoding: param.value, as: UTF8.self) }
        if name.starts(with: "HTTP_".utf8) {
          headers[Self.headerName(UnsafeBufferPointer(rebasing: name[(name.startIndex + 5)...]))] = value()
        } else if Self.isUsed(name) {
          absorb(String(decoding: name, as: UTF8.self), value())
        }
      }
    }
  }

  private static let usedNames: [[UInt8]] = [
    "REQUEST_METHOD", "REQUEST_URI", "DOCUMENT_URI", "SCRIPT_NAME", "PATH_INFO", "CONTENT_TYPE", "CONTENT_LENGTH",
    "REMOTE_ADDR",
  ].map { Array($0.utf8) }

  /// Whether `name` is one of the CGI variables read here (length first, then bytes).
  private static func isUsed(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let start = name.baseAddress else { return false }
    for used in usedNames where used.count == name.count {
      if used.withUnsafeBufferPointer({ memcmp($0.baseAddress!, start, name.count) }) == 0 { return true }
    }
    return false
  }

  private mutating func absorb(_ name: String, _ value: String) {
    switch name {
    case "REQUEST_METHOD": requestMethod = value
    case "REQUEST_URI": requestURI = value
    case "DOCUMENT_URI": documentURI = value
    case "SCRIPT_NAME": scriptName = value
    case "PATH_INFO": pathInfo = value
    case "REMOTE_ADDR": remoteAddress = value
    case "CONTENT_TYPE":
      if !value.isEmpty { headers["content-type"] = value }
    case "CONTENT_LENGTH":
      contentLengthText = value
      if !value.isEmpty { headers["content-length"] = value }
    default:
      if name.utf8.starts(with: "HTTP_".utf8) {
        headers[Array(name.utf8.dropFirst(5)).withUnsafeBufferPointer(Self.headerName)] = value
      }
    }
  }

  /// `REQUEST_METHOD`, upper case; `GET` when absent (CGI's default).
  var method: String { (requestMethod ?? "GET").uppercased() }

  /// The request path without its query: from `REQUEST_URI` (nginx, Apache and lighttpd all
  /// send the client's URI there), else `DOCUMENT_URI`, else `SCRIPT_NAME` + `PATH_INFO`.
  var path: String {
    let uri: String
    if let requestURI, !requestURI.isEmpty {
      uri = requestURI
    } else if let documentURI, !documentURI.isEmpty {
      uri = documentURI
    } else {
      uri = (scriptName ?? "") + (pathInfo ?? "")
    }
    let path = uri.utf8.firstIndex(of: UInt8(ascii: "?")).map { String(uri[..<$0]) } ?? uri
    return path.isEmpty ? "/" : path
  }

  /// `CONTENT_LENGTH`: absent (or empty), a decimal byte count, or invalid.
  var contentLength: ContentLength {
    guard let text = contentLengthText, !text.isEmpty else { return .absent }
    guard text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int(text) else {
      return .invalid
    }
    return .bytes(value)
  }

  enum ContentLength: Equatable {
    case absent
    case invalid
    case bytes(Int)
  }

  /// `X_FORWARDED_FOR` → `x-forwarded-for` (ASCII letters lowered, `_` → `-`).
  static func headerName(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    String(unsafeUninitializedCapacity: bytes.count) { buffer in
      for (index, byte) in bytes.enumerated() {
        buffer[index] =
          switch byte {
          case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte + 32
          case UInt8(ascii: "_"): UInt8(ascii: "-")
          default: byte
          }
      }
      return bytes.count
    }
  }

  /// The request line and headers as an ``HTTPRequest`` with `body`.
  func request(body: [UInt8], abandonment: RequestAbandonment) -> HTTPRequest {
    HTTPRequest(
      method: method, path: path, headers: headers, body: body, remoteAddress: remoteAddress,
      abandonment: abandonment)
  }
}
