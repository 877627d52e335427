/// The type byte of a FastCGI record (FastCGI spec §3.3, §8).
///
/// A struct rather than an enum: a peer may send any byte, and an unknown management type is
/// answered with `FCGI_UNKNOWN_TYPE` naming it (§4.2), so every value must be representable.
public struct FastCGIRecordType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: UInt8

  public init(rawValue: UInt8) {
    self.rawValue = rawValue
  }

  /// `FCGI_BEGIN_REQUEST` (§5.1): starts a request; its body names the role and flags.
  public static let beginRequest = FastCGIRecordType(rawValue: 1)
  /// `FCGI_ABORT_REQUEST` (§5.4): the web server abandons a request.
  public static let abortRequest = FastCGIRecordType(rawValue: 2)
  /// `FCGI_END_REQUEST` (§5.5): the application has finished a request.
  public static let endRequest = FastCGIRecordType(rawValue: 3)
  /// `FCGI_PARAMS` (§5.2): the request's name-value pairs, a stream.
  public static let params = FastCGIRecordType(rawValue: 4)
  /// `FCGI_STDIN` (§5.3): the request body, a stream.
  public static let stdin = FastCGIRecordType(rawValue: 5)
  /// `FCGI_STDOUT` (§5.3): the CGI response, a stream.
  public static let stdout = FastCGIRecordType(rawValue: 6)
  /// `FCGI_STDERR` (§5.3): error output, a stream.
  public static let stderr = FastCGIRecordType(rawValue: 7)
  /// `FCGI_DATA` (§5.3): the filter role's second input stream.
  public static let data = FastCGIRecordType(rawValue: 8)
  /// `FCGI_GET_VALUES` (§4.1): a management query.
  public static let getValues = FastCGIRecordType(rawValue: 9)
  /// `FCGI_GET_VALUES_RESULT` (§4.1): the answer to a query.
  public static let getValuesResult = FastCGIRecordType(rawValue: 10)
  /// `FCGI_UNKNOWN_TYPE` (§4.2): the answer to a management record not understood.
  public static let unknownType = FastCGIRecordType(rawValue: 11)

  public var description: String { "type \(rawValue)" }
}
