/// The FastCGI record layer of one connection, as an incremental parser (FastCGI spec §3–§6):
/// feed it whatever `read(2)` returned, in pieces of any size, and it yields
/// ``FastCGIEvent``s — a complete request only once its params and body have both ended, so a
/// slow sender holds a buffer, never a thread.
///
/// One request at a time (`FCGI_MPXS_CONNS` = 0): a `FCGI_BEGIN_REQUEST` for another id while
/// one is active is refused with `FCGI_CANT_MPX_CONN` (§5.5); roles other than responder with
/// `FCGI_UNKNOWN_ROLE`. Management records are answered (§4.1, §4.2); records for inactive
/// request ids are ignored (§3.3); anything else out of place is a
/// ``FastCGIEvent/protocolError(_:)``.
///
/// Memory is bounded by ``FastCGILimits/maxBufferedBytes``: a partial header (8 bytes), the
/// active request's params (≤ ``FastCGILimits/maxParamsBytes``, 32 KiB by default) and body
/// (≤ ``FastCGILimits/maxBodyBytes``), and the content of one `FCGI_GET_VALUES` or
/// `FCGI_BEGIN_REQUEST` record (≤ ``FastCGILimits/maxManagementBytes``). Padding, ignored
/// records and unknown types are counted down, never stored; buffers never grow past their
/// limit. The replies one call yields are at most twice the bytes it was given (a 16-byte
/// `FCGI_UNKNOWN_TYPE` per 8-byte record at worst).
public struct FastCGIConnectionParser: Sendable {
  /// The bounds enforced and the values reported to `FCGI_GET_VALUES`.
  public let limits: FastCGILimits

  var phase = Phase.header
  var header: [UInt8] = []
  var request: ActiveRequest?
  /// The last request id refused and the last ended on this connection: their stray stream
  /// records are ignored (§3.3), where one for any other id while no request is active is a
  /// protocol error.
  var refusedRequestId: UInt16?
  var endedRequestId: UInt16?
  var recordContent: [UInt8] = []
  /// Replies produced by the current ``consume(_:into:)`` call, joined into one event.
  var pendingReply: [UInt8] = []
  /// True after a terminal event: every later byte is ignored.
  public internal(set) var isClosed = false

  /// A parser for a new connection.
  public init(limits: FastCGILimits) {
    self.limits = limits
    header.reserveCapacity(FastCGI.headerLength)
  }

  /// Bytes held now: partial header, params, body and record content (never more than
  /// ``FastCGILimits/maxBufferedBytes``).
  public var bufferedByteCount: Int {
    header.count + (request?.params.count ?? 0) + (request?.body.count ?? 0) + recordContent.count
  }

  /// The active request's id, from its `FCGI_BEGIN_REQUEST` until ``endRequest()``.
  public var activeRequestId: UInt16? { request?.id }

  /// Parses `bytes` and appends what they complete to `events`.
  public mutating func consume(_ bytes: UnsafeRawBufferPointer, into events: inout [FastCGIEvent]) {
    var offset = 0
    while offset < bytes.count, !isClosed {
      switch phase {
      case .header:
        offset += readHeader(bytes, from: offset, events: &events)
      case .content(let record, let remaining, let sink):
        let length = min(remaining, bytes.count - offset)
        let chunk = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
        offset += length
        phase = .content(record, remaining: remaining - length, sink: sink)
        take(chunk, sink: sink, record: record, events: &events)
        if remaining == length, !isClosed { endContent(record, sink: sink, events: &events) }
      case .padding(let remaining):
        let length = min(remaining, bytes.count - offset)
        offset += length
        phase = remaining == length ? .header : .padding(remaining: remaining - length)
      }
    }
    flushReplies(to: &events)
  }

  /// Parses `bytes` and returns the events they complete.
  public mutating func consume(_ bytes: UnsafeRawBufferPointer) -> [FastCGIEvent] {
    var events: [FastCGIEvent] = []
    consume(bytes, into: &events)
    return events
  }

  /// Parses the bytes of an array and returns the events they complete.
  public mutating func consume(_ bytes: [UInt8]) -> [FastCGIEvent] {
    bytes.withUnsafeBytes { consume($0) }
  }

  /// The server has written `FCGI_END_REQUEST` for the active request: its id becomes
  /// inactive (§3.3) — records still arriving for it are ignored — and the next
  /// `FCGI_BEGIN_REQUEST` may start a request on this connection.
  public mutating func endRequest() {
    if let active = request { endedRequestId = active.id }
    request = nil
  }
}

extension FastCGIConnectionParser {
  /// Where the parser is within the record stream.
  enum Phase: Sendable {
    case header
    case content(FastCGIRecordHeader, remaining: Int, sink: Sink)
    case padding(remaining: Int)
  }

  /// What a record's content bytes are for.
  enum Sink: Sendable {
    case beginBody, getValues, params, stdin, skip

    /// What is left of the sink once ``FastCGIConnectionParser/endRequest()`` has ended the
    /// request its stream was for: the rest of the record is skipped.
    var withoutRequest: Sink {
      switch self {
      case .params, .stdin: .skip
      default: self
      }
    }
  }

  /// The request between its `FCGI_BEGIN_REQUEST` and ``FastCGIConnectionParser/endRequest()``.
  struct ActiveRequest: Sendable {
    let id: UInt16
    let keepConnection: Bool
    var params: [UInt8] = []
    /// How far `params` has been walked as whole pairs.
    var paramsScanned = 0
    var paramsEnded = false
    var body: [UInt8] = []
    var stdinEnded = false
    var aborted = false
  }
}
