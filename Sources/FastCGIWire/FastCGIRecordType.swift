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

/// The role a `FCGI_BEGIN_REQUEST` asks the application to play (FastCGI spec §5.1, §6).
public struct FastCGIRole: RawRepresentable, Hashable, Sendable {
  public let rawValue: UInt16

  public init(rawValue: UInt16) {
    self.rawValue = rawValue
  }

  /// `FCGI_RESPONDER` (§6.2): the only role BLS plays.
  public static let responder = FastCGIRole(rawValue: 1)
  /// `FCGI_AUTHORIZER` (§6.3).
  public static let authorizer = FastCGIRole(rawValue: 2)
  /// `FCGI_FILTER` (§6.4).
  public static let filter = FastCGIRole(rawValue: 3)
}

/// The `protocolStatus` of a `FCGI_END_REQUEST` record (FastCGI spec §5.5).
public enum FastCGIProtocolStatus: UInt8, Sendable {
  /// `FCGI_REQUEST_COMPLETE`: normal end of a request.
  case requestComplete = 0
  /// `FCGI_CANT_MPX_CONN`: a second request on a connection that carries one at a time.
  case cantMultiplexConnection = 1
  /// `FCGI_OVERLOADED`: the application is out of some resource.
  case overloaded = 2
  /// `FCGI_UNKNOWN_ROLE`: a role the application does not play.
  case unknownRole = 3
}

/// Protocol constants (FastCGI spec §8).
public enum FastCGI {
  /// `FCGI_VERSION_1`, the only version (§3.3).
  public static let version: UInt8 = 1
  /// `FCGI_HEADER_LEN`: every record starts with this many bytes (§3.3).
  public static let headerLength = 8
  /// `FCGI_NULL_REQUEST_ID`: the request id of management records (§3.3, §4).
  public static let nullRequestId: UInt16 = 0
  /// `FCGI_KEEP_CONN`, the one flag of `FCGI_BEGIN_REQUEST` (§5.1): when clear, the
  /// application closes the connection after answering the request.
  public static let keepConnectionFlag: UInt8 = 1
  /// The largest `contentLength` a record can carry (a 16-bit field, §3.3).
  public static let maxContentLength = 65535
  /// `FCGI_MAX_CONNS` (§4.1): how many connections the application accepts at once.
  public static let maxConnsName: [UInt8] = Array("FCGI_MAX_CONNS".utf8)
  /// `FCGI_MAX_REQS` (§4.1): how many requests the application handles at once.
  public static let maxReqsName: [UInt8] = Array("FCGI_MAX_REQS".utf8)
  /// `FCGI_MPXS_CONNS` (§4.1): `"1"` if the application multiplexes connections, else `"0"`.
  public static let mpxsConnsName: [UInt8] = Array("FCGI_MPXS_CONNS".utf8)
}
