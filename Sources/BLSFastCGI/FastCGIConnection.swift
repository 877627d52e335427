import BLSApp
import CFastCGI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One connection from the web server, with the libfcgi request state that reads and writes
/// its records. Touched by one worker at a time: the one that claimed it from epoll.
///
/// libfcgi's `FCGX_Accept_r` normally accepts connections itself and then keeps reading the
/// same connection while the web server set `FCGI_KEEP_CONN`, tying a thread to each kept
/// connection. Here the request is initialised with no listening socket and handed an
/// already-accepted descriptor, so libfcgi only parses records; which connection a worker
/// serves next is epoll's choice, and idle kept connections hold no thread.
final class FastCGIConnection: @unchecked Sendable {
  /// Who holds the connection; changed only under the server's lock.
  enum State {
    /// Waiting in epoll for the web server's next request.
    case idle
    /// A worker is reading or answering a request on it.
    case busy
  }

  private let request: UnsafeMutablePointer<FCGX_Request>
  /// The connection's epoll token (unique; descriptors are reused by the kernel).
  let token: UInt64
  var state = State.idle
  /// Monotonic milliseconds when the connection last became idle.
  var idleSince: Int64
  /// Requests answered on this connection so far.
  private(set) var requestsServed = 0
  /// Read buffer for request bodies, allocated once per connection.
  private var chunk = [CChar](repeating: 0, count: 16384)

  init(fd: Int32, token: UInt64, now: Int64) {
    self.token = token
    request = .allocate(capacity: 1)
    FCGX_InitRequest(request, -1, 0)
    request.pointee.ipcFd = fd
    // FCGX_Accept_r first "finishes" the previous request; with keepConnection unset it would
    // close the descriptor we just handed it.
    request.pointee.keepConnection = 1
    idleSince = now
  }

  deinit {
    close()
    request.deallocate()
  }

  /// The socket, or -1 once closed.
  var fd: Int32 { request.pointee.ipcFd }

  /// Frees libfcgi's buffers and closes the socket (idempotent).
  func close() {
    if request.pointee.ipcFd >= 0 {
      FCGX_Free(request, 1)
      request.pointee.ipcFd = -1
    }
  }

  /// Reads one request, answers it, and finishes it. Returns whether the connection stays
  /// open for another request (the web server asked for `FCGI_KEEP_CONN`, nothing went wrong,
  /// and `closeAfter` is false).
  func serveOne(
    maxBodyBytes: Int, handler: FastCGIServer.Handler,
    payloadTooLarge: @Sendable (Int) -> HTTPResponse, closeAfter: () -> Bool
  ) -> Bool {
    guard request.pointee.ipcFd >= 0 else { return false }
    request.pointee.keepConnection = 1
    // On a protocol error or end of stream libfcgi closes the descriptor and, having no
    // listening socket to fall back on, returns an error.
    guard FCGX_Accept_r(request) == 0 else {
      request.pointee.ipcFd = -1
      return false
    }
    requestsServed += 1
    let params = FastCGIParams(environment: request.pointee.envp)
    var keep = true
    var response: HTTPResponse?
    switch params.contentLength {
    case .invalid:
      response = Self.badRequest("CONTENT_LENGTH must be a decimal number of bytes")
      keep = false
    case .bytes(let length) where length > maxBodyBytes:
      response = payloadTooLarge(maxBodyBytes)
      keep = false
    case .bytes(let length):
      (response, keep) = answer(params, expected: length, maxBodyBytes, handler, payloadTooLarge)
    case .absent:
      (response, keep) = answer(params, expected: nil, maxBodyBytes, handler, payloadTooLarge)
    }
    if let response {
      let bytes = CGIResponse.encode(response)
      let written = bytes.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { FCGX_PutStr($0.baseAddress, Int32($0.count), request.pointee.out) }
      }
      if written != bytes.count { keep = false }
    }
    if !keep || closeAfter() { request.pointee.keepConnection = 0 }
    FCGX_Finish_r(request)
    return request.pointee.ipcFd >= 0
  }

  /// Reads the body and runs the handler; `nil` when the body could not be read (the web
  /// server went away or stalled), which leaves nothing to answer.
  private func answer(
    _ params: FastCGIParams, expected: Int?, _ limit: Int, _ handler: FastCGIServer.Handler,
    _ payloadTooLarge: @Sendable (Int) -> HTTPResponse
  ) -> (HTTPResponse?, keep: Bool) {
    switch readBody(expected: expected, limit: limit) {
    case .body(let body): return (handler(params.request(body: body)), true)
    case .tooLarge: return (payloadTooLarge(limit), false)
    case .lengthMismatch(let received):
      return (Self.badRequest("body has \(received) bytes but CONTENT_LENGTH says \(expected ?? 0)"), false)
    case .failed: return (nil, false)
    }
  }

  private enum BodyRead {
    case body([UInt8])
    case tooLarge
    /// The stream ended cleanly with a length other than `CONTENT_LENGTH`.
    case lengthMismatch(Int)
    /// A read error or timeout: the web server is gone or stalled.
    case failed
  }

  /// Reads `FCGI_STDIN` to its end, never more than `limit + 1` bytes.
  private func readBody(expected: Int?, limit: Int) -> BodyRead {
    var body: [UInt8] = []
    body.reserveCapacity(min(expected ?? 0, limit + 1))
    while true {
      let wanted = min(chunk.count, limit + 1 - body.count)
      let count = chunk.withUnsafeMutableBufferPointer {
        Int(FCGX_GetStr($0.baseAddress, Int32(wanted), request.pointee.in))
      }
      if count > 0 {
        chunk.withUnsafeBytes { body.append(contentsOf: $0.prefix(count)) }
      }
      if body.count > limit { return .tooLarge }
      if count < wanted { break }
    }
    if FCGX_GetError(request.pointee.in) != 0 { return .failed }
    if let expected, body.count != expected { return .lengthMismatch(body.count) }
    return .body(body)
  }

  /// A 400 in the reject shape, for a request the transport itself cannot make sense of.
  static func badRequest(_ message: String) -> HTTPResponse {
    BLSApplication.error(400, message)
  }
}
