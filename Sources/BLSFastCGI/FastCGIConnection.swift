import FastCGIWire
import Glibc
import HTTPCore
import ProcessSupport

/// One connection from the web server: its non-blocking socket, the record parser holding
/// whatever part of a request has arrived, and the bytes waiting to be written.
///
/// Ownership: the fields below are touched only by the worker that holds the connection
/// (``FastCGIServer`` gives it to one worker at a time: see ``Hold``); `hold` and `answer`
/// change under the server's lock.
///
/// Memory per connection is bounded: the parser holds at most
/// ``FastCGILimits/maxBufferedBytes`` (8 + 32 KiB of params + the body limit + 1 KiB), and
/// ``output`` at most one response plus ``FastCGIServer/outputHighWater`` of management
/// replies — past that the server stops reading the connection until the peer reads.
final class FastCGIConnection: @unchecked Sendable {
  /// Who may touch the connection's state.
  enum Hold {
    /// Armed in epoll; the next worker it wakes takes it.
    case epoll
    /// A worker is reading, answering or writing on it.
    case worker
  }

  /// Where the connection is in its life.
  enum Phase: Equatable {
    /// Reading requests and writing answers.
    case open
    /// Answered and shut down for writing: reading only to discard what the peer still sends,
    /// until it closes or `deadline` passes (a bounded lingering close).
    case lingering(deadline: Int64)
  }

  /// A request handed to the application that has not been answered yet.
  struct Pending {
    let requestId: UInt16
    let keepConnection: Bool
    /// Set when the web server goes away before the answer (the application then stores
    /// nothing for it, if it can still help it).
    let abandonment: RequestAbandonment
  }

  /// The socket, or -1 once closed.
  private(set) var fd: Int32
  /// The connection's epoll token (unique; descriptors are reused by the kernel).
  let token: UInt64
  /// Guarded by the server's lock.
  var hold = Hold.worker
  /// A deferred answer that arrived while a worker held the connection (server's lock).
  var answer: HTTPResponse?

  var parser: FastCGIConnectionParser
  var phase = Phase.open
  /// Bytes to write, from ``outputOffset`` on.
  var output: [UInt8] = []
  var outputOffset = 0
  /// Close once ``output`` is written (a request without `FCGI_KEEP_CONN`, a refusal).
  var closeAfterOutput = false
  /// The request handed to the application and not answered yet.
  var pending: Pending?
  /// When the first byte of the request being received arrived (monotonic ms); `nil` while
  /// no request is arriving.
  var requestStartedAt: Int64?
  /// When the oldest unwritten output was queued (monotonic ms).
  var outputQueuedAt: Int64 = 0
  /// When the connection last finished something (monotonic ms): accepted, answered.
  var idleSince: Int64
  /// Requests answered on this connection so far.
  var requestsServed = 0

  init(fd: Int32, token: UInt64, limits: FastCGILimits, now: Int64) {
    self.fd = fd
    self.token = token
    self.parser = FastCGIConnectionParser(limits: limits)
    self.idleSince = now
  }

  deinit { close() }

  /// Bytes still to write.
  var unwritten: Int { output.count - outputOffset }

  /// Idle: nothing arriving, nothing waiting on the application, nothing to write.
  var isIdle: Bool {
    phase == .open && requestStartedAt == nil && pending == nil && unwritten == 0
  }

  /// Closes the socket at once (idempotent).
  func close() {
    if fd >= 0 {
      _ = Glibc.close(fd)
      fd = -1
    }
  }

  /// Writes as much of ``output`` as the socket takes now. Returns false when the connection
  /// broke (the peer is gone).
  func flush() -> Bool {
    while unwritten > 0 {
      let count = output[outputOffset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      if count > 0 {
        outputOffset += count
        continue
      }
      if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return true }
      if count < 0 && errno == EINTR { continue }
      return false
    }
    output.removeAll(keepingCapacity: output.capacity <= 65536)
    outputOffset = 0
    return true
  }

  /// Queues bytes to write.
  func enqueue(_ bytes: [UInt8], now: Int64) {
    if unwritten == 0 { outputQueuedAt = now }
    output += bytes
  }

  /// Queues the answer to request `requestId` (CGI response in `FCGI_STDOUT`, then
  /// `FCGI_END_REQUEST`) and ends the request in the parser.
  func enqueue(_ response: HTTPResponse, requestId: UInt16, now: Int64) {
    if unwritten == 0 { outputQueuedAt = now }
    let cgi = CGIResponse.encode(response)
    FastCGIResponseEncoder.appendResponse(cgi, requestId: requestId, to: &output)
    parser.endRequest()
    requestsServed += 1
  }
}
