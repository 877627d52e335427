/// What a ``FastCGIConnectionParser`` found in the bytes it was given, in order.
///
/// Terminal events — ``paramsTooLarge(requestId:)``, ``bodyTooLarge(requestId:limit:)``,
/// ``protocolError(_:)`` and ``close`` — are the last the parser produces: it ignores every
/// byte after them, and the server closes the connection once it has written any answer owed.
public enum FastCGIEvent: Sendable, Hashable {
  /// A request whose `FCGI_PARAMS` and `FCGI_STDIN` streams have both ended (§5.2, §5.3,
  /// §6.2). The request id stays active until the server calls
  /// ``FastCGIConnectionParser/endRequest()`` after writing `FCGI_END_REQUEST` (§3.3).
  case request(FastCGIRequest)
  /// Bytes to write to the peer as they are: `FCGI_GET_VALUES_RESULT` (§4.1),
  /// `FCGI_UNKNOWN_TYPE` (§4.2) and the `FCGI_END_REQUEST` that refuses a request
  /// (`FCGI_CANT_MPX_CONN`, `FCGI_UNKNOWN_ROLE`, §5.5). Consecutive replies are joined into
  /// one event.
  case reply([UInt8])
  /// The web server sent `FCGI_ABORT_REQUEST` for the active request (§5.4). Its buffered
  /// params and body are dropped and later records for it ignored; the server answers with
  /// `FCGI_END_REQUEST` and calls ``FastCGIConnectionParser/endRequest()``.
  case aborted(requestId: UInt16)
  /// The request's params exceed ``FastCGILimits/maxParamsBytes`` (terminal): answer a
  /// 431-style JSON reject for `requestId` and close.
  case paramsTooLarge(requestId: UInt16)
  /// The request's body exceeds `limit` bytes (terminal): answer a 413 JSON reject for
  /// `requestId` and close.
  case bodyTooLarge(requestId: UInt16, limit: Int)
  /// The peer broke the protocol (terminal): close without answering.
  case protocolError(FastCGIProtocolError)
  /// A refused request without `FCGI_KEEP_CONN` (terminal): close after writing the replies
  /// already produced (§5.1).
  case close
}
