/// A complete FastCGI responder request (FastCGI spec §6.2).
public struct FastCGIRequest: Sendable, Hashable {
  /// The request id from `FCGI_BEGIN_REQUEST` (§3.3), never 0.
  public let requestId: UInt16
  /// `FCGI_KEEP_CONN` (§5.1): when false, close the connection after answering.
  public let keepConnection: Bool
  /// The CGI variables.
  public let params: FastCGIParams
  /// The `FCGI_STDIN` stream's bytes.
  public let body: [UInt8]

  public init(requestId: UInt16, keepConnection: Bool, params: FastCGIParams, body: [UInt8]) {
    self.requestId = requestId
    self.keepConnection = keepConnection
    self.params = params
    self.body = body
  }
}
