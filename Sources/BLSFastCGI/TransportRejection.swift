import HTTPCore

/// A request the transport answers by itself, before any handler sees it. What the answer
/// looks like is the application's choice: the server is given a ``Responder`` that turns a
/// rejection into a response (for BLS: the JSON reject shape).
public enum TransportRejection: Sendable, Equatable {
  /// `CONTENT_LENGTH` is not a decimal number of bytes (RFC 3875 §4.1.2).
  case invalidContentLength
  /// The body ended with `received` bytes, not the `declared` `CONTENT_LENGTH`.
  case bodyLengthMismatch(received: Int, declared: Int)
  /// The body is over ``FastCGIServerOptions/maxBodyBytes`` (`limit`).
  case payloadTooLarge(limit: Int)
  /// The request's parameters (CGI variables and HTTP headers) are over `limit` bytes.
  case headersTooLarge(limit: Int)
  /// The request did not arrive whole within `seconds` (parameters and body together).
  case requestTimeout(seconds: Int)

  /// Turns a rejection into the response written to the web server; called from any worker.
  public typealias Responder = @Sendable (TransportRejection) -> HTTPResponse

  /// The HTTP status: 413 for a body over the limit, 431 for parameters over theirs, 408 for
  /// a request too slow to arrive, else 400.
  public var status: Int {
    switch self {
    case .payloadTooLarge: 413
    case .headersTooLarge: 431
    case .requestTimeout: 408
    case .invalidContentLength, .bodyLengthMismatch: 400
    }
  }

  /// One line saying what was wrong with the request.
  public var message: String {
    switch self {
    case .invalidContentLength: "CONTENT_LENGTH must be a decimal number of bytes"
    case .bodyLengthMismatch(let received, let declared):
      "body has \(received) bytes but CONTENT_LENGTH says \(declared)"
    case .payloadTooLarge(let limit): "Request body too large: the limit is \(limit) bytes"
    case .headersTooLarge(let limit):
      "Request header fields too large: the limit is \(limit) bytes of FastCGI parameters"
    case .requestTimeout(let seconds): "Request timeout: the request did not arrive whole within \(seconds) s"
    }
  }
}
