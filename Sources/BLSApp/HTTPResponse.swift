import JSON

/// An HTTP response produced by the application, written out by a transport.
/// Delivers a response later, from any thread: how a handler that waits for the store
/// (``BLSApplication/handle(_:respond:)``) answers.
public typealias HTTPResponder = @Sendable (HTTPResponse) -> Void

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

  /// A JSON response with `Content-Type: application/json`.
  public static func json(_ status: Int, _ value: JSONValue) -> HTTPResponse {
    HTTPResponse(
      status: status, headers: [(name: "Content-Type", value: "application/json")],
      body: value.serializedBytes)
  }
}
