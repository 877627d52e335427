/// An HTTP request as the transport hands it to the application: no sockets, no I/O.
public struct HTTPRequest: Sendable {
  /// Method, upper case (`GET`, `POST`, …).
  public var method: String
  /// Path without the query string, e.g. `/handle-payment`.
  public var path: String
  /// Header fields, names lowercased (`content-type`).
  public var headers: [String: String]
  /// The body bytes as received.
  public var body: [UInt8]
  /// The client's address as the web server saw it (CGI `REMOTE_ADDR`), when it says.
  public var remoteAddress: String?
  /// Set by the transport when the peer stops waiting for the answer.
  public var abandonment: RequestAbandonment

  public init(
    method: String, path: String, headers: [String: String] = [:], body: [UInt8] = [],
    remoteAddress: String? = nil, abandonment: RequestAbandonment = RequestAbandonment()
  ) {
    self.remoteAddress = remoteAddress
    self.abandonment = abandonment
    self.method = method
    self.path = path
    self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }) { _, last in last }
    self.body = body
  }
}
