/// Why a peer's bytes were refused as a FastCGI protocol violation. After one, the connection
/// carries nothing more and is closed.
///
/// ``code`` is stable (logs and tests rely on it); ``message`` is for humans.
public struct FastCGIProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
  /// Stable machine-readable code, e.g. `"bad_version"`.
  public let code: String
  /// Human-readable detail.
  public let message: String

  public init(code: String, message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { "\(code): \(message)" }

  /// A record header whose `version` is not 1 (§3.3).
  public static func badVersion(_ version: UInt8) -> FastCGIProtocolError {
    FastCGIProtocolError(code: "bad_version", message: "record version \(version), expected 1")
  }

  /// Fewer than eight bytes where a record header was expected (§3.3).
  public static let truncatedHeader = FastCGIProtocolError(
    code: "truncated_header", message: "a record header is 8 bytes")

  /// A `FCGI_BEGIN_REQUEST` whose content is not the 8-byte body (§5.1).
  public static func beginRequestLength(_ length: Int) -> FastCGIProtocolError {
    FastCGIProtocolError(
      code: "begin_request_length", message: "FCGI_BEGIN_REQUEST content is \(length) bytes, expected 8")
  }

  /// A `FCGI_BEGIN_REQUEST` for the request id that is already active (§3.3).
  public static func duplicateBegin(_ requestId: UInt16) -> FastCGIProtocolError {
    FastCGIProtocolError(code: "duplicate_begin", message: "request \(requestId) is already active")
  }

  /// A stream record while no request is active on the connection (§3.3).
  public static func noActiveRequest(_ type: FastCGIRecordType, _ requestId: UInt16) -> FastCGIProtocolError {
    FastCGIProtocolError(
      code: "no_active_request", message: "\(type) for request \(requestId) with no active request")
  }

  /// A record type a web server never sends to an application, with a request id (§8).
  public static func unexpectedType(_ type: FastCGIRecordType, _ requestId: UInt16) -> FastCGIProtocolError {
    FastCGIProtocolError(
      code: "unexpected_record_type", message: "\(type) for request \(requestId) is not sent to an application")
  }

  /// A stream record after the empty record that ended the stream (§3.3).
  public static func streamAlreadyEnded(_ type: FastCGIRecordType, _ requestId: UInt16) -> FastCGIProtocolError {
    FastCGIProtocolError(
      code: "stream_already_ended", message: "\(type) for request \(requestId) after its stream ended")
  }

  /// An `FCGI_PARAMS` stream that is not a sequence of whole name-value pairs (§3.4, §5.2).
  public static func paramsMalformed(_ reason: FastCGINameValueError) -> FastCGIProtocolError {
    FastCGIProtocolError(code: "params_malformed", message: "FCGI_PARAMS: \(reason.message)")
  }

  /// An `FCGI_GET_VALUES` record whose content is not a sequence of whole name-value pairs
  /// (§3.4, §4.1).
  public static func getValuesMalformed(_ reason: FastCGINameValueError) -> FastCGIProtocolError {
    FastCGIProtocolError(code: "get_values_malformed", message: "FCGI_GET_VALUES: \(reason.message)")
  }

  /// A management record longer than ``FastCGILimits/maxManagementBytes``.
  public static func managementTooLarge(_ length: Int, limit: Int) -> FastCGIProtocolError {
    FastCGIProtocolError(
      code: "management_record_too_large", message: "FCGI_GET_VALUES content is \(length) bytes, limit \(limit)")
  }
}
