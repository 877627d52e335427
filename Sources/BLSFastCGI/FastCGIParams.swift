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

  /// Reads libfcgi's `envp`: a NULL-terminated array of `NAME=value` C strings.
  init(environment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
    var values: [String: String] = [:]
    var cursor = environment
    while let entry = cursor?.pointee {
      let pair = String(decoding: UnsafeRawBufferPointer(start: entry, count: strlen(entry)), as: UTF8.self)
      if let separator = pair.firstIndex(of: "=") {
        values[String(pair[..<separator])] = String(pair[pair.index(after: separator)...])
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
    let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
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
      if name.hasPrefix("HTTP_") {
        headers[String(name.dropFirst(5)).lowercased().replacing("_", with: "-")] = value
      } else if name == "CONTENT_TYPE" || name == "CONTENT_LENGTH", !value.isEmpty {
        headers[name.lowercased().replacing("_", with: "-")] = value
      }
    }
    return headers
  }

  /// The request line and headers as an ``HTTPRequest`` with `body`.
  func request(body: [UInt8]) -> HTTPRequest {
    HTTPRequest(method: method, path: path, headers: headers, body: body)
  }
}
