import BLSApp

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The CGI/FastCGI request parameters (`REQUEST_METHOD`, `REQUEST_URI`, `HTTP_*`, …) a web
/// server sends in `FCGI_PARAMS`, and their mapping to an ``HTTPRequest``.
struct FastCGIParams {
  /// Parameter name → value, as received.
  var values: [String: String]

  init(_ values: [String: String]) { self.values = values }

  /// Reads libfcgi's `envp`: a NULL-terminated array of `NAME=value` C strings. Works on
  /// bytes (a parameter is not split on grapheme boundaries, and a value may hold any byte).
  init(environment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
    var values: [String: String] = [:]
    values.reserveCapacity(32)
    var cursor = environment
    while let entry = cursor?.pointee {
      let length = strlen(entry)
      entry.withMemoryRebound(to: UInt8.self, capacity: length) { start in
        let bytes = UnsafeBufferPointer(start: start, count: length)
        if let separator = bytes.firstIndex(of: UInt8(ascii: "=")) {
          let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<separator]), as: UTF8.self)
          values[name] = String(decoding: UnsafeBufferPointer(rebasing: bytes[(separator + 1)...]), as: UTF8.self)
        }
      }
      cursor = cursor! + 1
    }
    self.values = values
  }

  /// `REQUEST_METHOD`, upper case; `GET` when absent (CGI's default).
  var method: String { (values["REQUEST_METHOD"] ?? "GET").uppercased() }

  /// The request path without its query: from `REQUEST_URI` (nginx, Apache and lighttpd all
  /// send the client's URI there), else `DOCUMENT_URI`, else `SCRIPT_NAME` + `PATH_INFO`.
  var path: String {
    let uri: String
    if let requestURI = values["REQUEST_URI"], !requestURI.isEmpty {
      uri = requestURI
    } else if let documentURI = values["DOCUMENT_URI"], !documentURI.isEmpty {
      uri = documentURI
    } else {
      uri = (values["SCRIPT_NAME"] ?? "") + (values["PATH_INFO"] ?? "")
    }
    let utf8 = uri.utf8
    let path = utf8.firstIndex(of: UInt8(ascii: "?")).map { String(uri[..<$0]) } ?? uri
    return path.isEmpty ? "/" : path
  }

  /// `CONTENT_LENGTH` when present and a valid decimal; `nil` when absent or empty.
  /// A malformed value is reported as `.invalid`.
  var contentLength: ContentLength {
    guard let text = values["CONTENT_LENGTH"], !text.isEmpty else { return .absent }
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

  /// HTTP header fields: every `HTTP_X_Y` parameter as `x-y`, plus `CONTENT_TYPE` and
  /// `CONTENT_LENGTH` (which CGI passes without the `HTTP_` prefix).
  var headers: [String: String] {
    var headers: [String: String] = [:]
    for (name, value) in values {
      if name.utf8.starts(with: "HTTP_".utf8) {
        headers[Self.headerName(name.utf8.dropFirst(5))] = value
      } else if name == "CONTENT_TYPE" || name == "CONTENT_LENGTH", !value.isEmpty {
        headers[Self.headerName(name.utf8[...])] = value
      }
    }
    return headers
  }

  /// `X_FORWARDED_FOR` → `x-forwarded-for` (ASCII letters lowered, `_` → `-`).
  static func headerName(_ bytes: Substring.UTF8View) -> String {
    String(decoding: bytes.map { byte in
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte + 32
      case UInt8(ascii: "_"): UInt8(ascii: "-")
      default: byte
      }
    }, as: UTF8.self)
  }

  /// The request line and headers as an ``HTTPRequest`` with `body`.
  func request(body: [UInt8]) -> HTTPRequest {
    HTTPRequest(method: method, path: path, headers: headers, body: body)
  }
}
