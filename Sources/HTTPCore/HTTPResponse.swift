/// An HTTP response produced by the application, written out by a transport.
public struct HTTPResponse: Sendable {
  /// Status code, e.g. 200.
  public var status: Int
  /// Header fields in order (the transport adds `Status` and `Content-Length` itself).
  public var headers: [(name: String, value: String)]
  /// The body bytes.
  public var body: [UInt8]

  public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
    self.status = status
    self.headers = headers
    self.body = body
  }
}
