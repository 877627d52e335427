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
