import CFastCGI
import HTTPCore
import Threads

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

  /// Frees libfcgi's buffers and closes the socket at once (idempotent).
  ///
  /// Called for connections with no answer just written (idle ones at a stop or a timeout,
  /// leftovers after a drain): libfcgi's own close (`FCGX_Free(request, 1)`) would shut
  /// down the write side and wait up to 2 s for the peer to close first — a "lingering
  /// close" that protects a response just written, which these connections do not have. A
  /// web server that keeps its connections (Apache with `enablereuse=on`) made each of them
  /// cost a stop 2 s. (After an answer, `FCGX_Finish_r` closes a connection itself, with
  /// the linger.)
  func close() {
    let fd = request.pointee.ipcFd
    if fd >= 0 {
      FCGX_Free(request, 0)
      closeDescriptor(fd)
      request.pointee.ipcFd = -1
    }
  }

  /// What reading one request produced.
  enum Incoming {
    /// A request for the handler.
    case request(HTTPRequest)
    /// The transport answers by itself (413, 400), or has nothing to answer (`nil`: the
    /// web server went away or stalled mid-body); the connection closes afterwards.
    case refusal(HTTPResponse?)
    /// The connection ended (or broke) before a request: nothing to answer, it is closed.
    case closed
  }

  /// Reads one request: parameters (`FCGX_Accept_r`) and body, at most `maxBodyBytes`.
  func readRequest(maxBodyBytes: Int, reject: TransportRejection.Responder) -> Incoming {
    guard request.pointee.ipcFd >= 0 else { return .closed }
    request.pointee.keepConnection = 1
    // On a protocol error or end of stream libfcgi closes the descriptor and, having no
    // listening socket to fall back on, returns an error.
    guard FCGX_Accept_r(request) == 0 else {
      request.pointee.ipcFd = -1
      return .closed
    }
    requestsServed += 1
    let params = FastCGIParams(environment: request.pointee.envp)
    let expected: Int?
    switch params.contentLength {
    case .invalid:
      return .refusal(reject(.invalidContentLength))
    case .bytes(let length) where length > maxBodyBytes:
      return .refusal(reject(.payloadTooLarge(limit: maxBodyBytes)))
    case .bytes(let length):
      expected = length
    case .absent:
      expected = nil
    }
    switch readBody(expected: expected, limit: maxBodyBytes) {
    case .body(let body): return .request(params.request(body: body))
    case .tooLarge: return .refusal(reject(.payloadTooLarge(limit: maxBodyBytes)))
    case .lengthMismatch(let received):
      return .refusal(reject(.bodyLengthMismatch(received: received, declared: expected ?? 0)))
    case .failed: return .refusal(nil)
    }
  }

  /// Writes `response` (if any) and finishes the request (`FCGX_Finish_r`). Returns whether
  /// the connection stays open: the web server asked for `FCGI_KEEP_CONN`, the write
  /// succeeded, `keep` is true and `closeAfter` false.
  func finish(_ response: HTTPResponse?, keep: Bool, closeAfter: Bool) -> Bool {
    var keep = keep
    if let response {
      let bytes = CGIResponse.encode(response)
      let written = bytes.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { FCGX_PutStr($0.baseAddress, Int32($0.count), request.pointee.out) }
      }
      if written != bytes.count { keep = false }
    }
    if !keep { request.pointee.keepConnection = 0 }
    let webServerKeeps = request.pointee.keepConnection != 0
    FCGX_Finish_r(request)
    if closeAfter && webServerKeeps {
      // Our decision (a stop), on a connection the web server meant to keep: it sends nothing
      // until it has this answer, so nothing unread can turn the close into a reset, and
      // libfcgi's lingering close (up to 2 s waiting for the peer, one connection after
      // another) is not needed.
      close()
      return false
    }
    return request.pointee.ipcFd >= 0
  }

  /// Reads one request, answers it with `handler` — waiting here for a deferred answer — and
  /// finishes it. Returns whether the connection stays open.
  func serveOne(
    maxBodyBytes: Int, handler: FastCGIServer.DeferredHandler,
    reject: TransportRejection.Responder, closeAfter: () -> Bool
  ) -> Bool {
    switch readRequest(maxBodyBytes: maxBodyBytes, reject: reject) {
    case .closed: return false
    case .refusal(let response): return finish(response, keep: false, closeAfter: true)
    case .request(let request):
      let later = BlockingQueue<HTTPResponse>()
      let response = handler(request) { later.push($0) } ?? later.pop()
      return finish(response, keep: true, closeAfter: closeAfter())
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
}
