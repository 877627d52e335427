import FastCGIWire
import Glibc
import HTTPCore
import ProcessSupport

/// Reading: what arrived on a connection goes through its record parser; each event it yields
/// is acted on here.
extension FastCGIServer {
  /// Reads what has arrived on `connection` (up to ``readBudget`` bytes), parses it, then acts
  /// on each event. Returns false when the connection must close now.
  ///
  /// Everything available is read before anything is acted on: when the web server sent a
  /// request and then closed the connection (its client left, its timeout fired), the request
  /// is never handed to the application — nobody would receive the answer. `untilEnd`: epoll
  /// reported the peer's shutdown with this wake, so reading goes on to the end of the stream;
  /// otherwise a read that fills less than the buffer has taken all there is, and the `recv`
  /// that would only find the socket empty is skipped (anything arriving later makes the
  /// re-armed connection ready again: level-triggered).
  func read(
    _ connection: FastCGIConnection, untilEnd: Bool = true, buffer: inout [UInt8], events: inout [FastCGIEvent]
  ) -> Bool {
    var budget = Self.readBudget
    var peerGone = false
    events.removeAll(keepingCapacity: true)
    let now = MonotonicClock.milliseconds()
    while budget > 0 {
      let count = buffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, 0) }
      if count > 0 {
        budget -= count
        // After a final answer, or after the parser's last word: input is drained unread.
        guard connection.phase == .open, !connection.parser.isClosed else { continue }
        buffer.withUnsafeBytes {
          connection.parser.consume(UnsafeRawBufferPointer(rebasing: $0[0..<count]), into: &events)
        }
        if connection.requestStartedAt == nil && connection.pending == nil { connection.requestStartedAt = now }
        if events.count > 64 { break }  // act on these first
        if count < buffer.count && !untilEnd { break }
        continue
      }
      if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { break }
      if count < 0 && errno == EINTR { continue }
      // End of stream or a reset: the web server is gone (or, lingering, done).
      peerGone = true
      break
    }
    if peerGone { return false }
    for event in events {
      guard handle(event, on: connection, now: now) else { return false }
    }
    if connection.pending != nil
      || (connection.parser.activeRequestId == nil && connection.parser.bufferedByteCount == 0)
    {
      connection.requestStartedAt = nil
    }
    return true
  }

  /// Acts on one parser event. Returns false when the connection must close now.
  private func handle(_ event: FastCGIEvent, on connection: FastCGIConnection, now: Int64) -> Bool {
    switch event {
    case .request(let request):
      dispatch(request, on: connection, now: now)
    case .reply(let bytes):
      connection.enqueue(bytes, now: now)
    case .aborted(let requestId):
      // §5.4: the web server no longer wants the answer; the application drops what it can.
      abandonPending(connection)
      var end: [UInt8] = []
      FastCGIResponseEncoder.appendEndRequest(requestId: requestId, appStatus: 1, to: &end)
      connection.enqueue(end, now: now)
      connection.parser.endRequest()
    case .paramsTooLarge(let requestId):
      refuse(.headersTooLarge(limit: limits.maxParamsBytes), requestId: requestId, on: connection, now: now)
    case .bodyTooLarge(let requestId, let limit):
      refuse(.payloadTooLarge(limit: limit), requestId: requestId, on: connection, now: now)
    case .protocolError:
      // Not a web server speaking FastCGI: nothing to answer.
      return false
    case .close:
      connection.closeAfterOutput = true
    }
    return true
  }

  /// Answers `rejection` for `requestId` and closes the connection once it is written.
  func refuse(_ rejection: TransportRejection, requestId: UInt16, on connection: FastCGIConnection, now: Int64) {
    connection.enqueue(reject(rejection), requestId: requestId, now: now)
    connection.closeAfterOutput = true
  }

  /// Hands a complete request to the handler, on this worker.
  private func dispatch(_ request: FastCGIRequest, on connection: FastCGIConnection, now: Int64) {
    let variables = CGIVariables(request.params)
    switch variables.contentLength {
    case .invalid:
      return refuse(.invalidContentLength, requestId: request.requestId, on: connection, now: now)
    case .bytes(let declared) where declared != request.body.count:
      return refuse(
        .bodyLengthMismatch(received: request.body.count, declared: declared), requestId: request.requestId,
        on: connection, now: now)
    case .bytes, .absent: break
    }
    let abandonment = RequestAbandonment()
    connection.pending = FastCGIConnection.Pending(
      requestId: request.requestId, keepConnection: request.keepConnection, abandonment: abandonment)
    deferred.add(1, ordering: .acquiringAndReleasing)
    let immediate = handler(variables.request(body: request.body, abandonment: abandonment)) { [self] response in
      complete(connection, response)
    }
    if let immediate { deliver(immediate, on: connection) }
  }

  /// Writes the answer to the pending request (the connection is held by this worker). An
  /// answer for a request the web server abandoned is dropped.
  func deliver(_ response: HTTPResponse, on connection: FastCGIConnection) {
    deferred.subtract(1, ordering: .acquiringAndReleasing)
    guard let pending = connection.pending else { return }
    connection.pending = nil
    let now = MonotonicClock.milliseconds()
    connection.enqueue(response, requestId: pending.requestId, now: now)
    connection.idleSince = now
    if !pending.keepConnection || isStopping { connection.closeAfterOutput = true }
  }
}
