extension FastCGIConnectionParser {
  /// A whole `FCGI_BEGIN_REQUEST` body (§5.1): `roleB1`, `roleB0`, `flags`, five reserved.
  mutating func beginRequest(_ requestId: UInt16, body: [UInt8], events: inout [FastCGIEvent]) {
    let role = FastCGIRole(rawValue: UInt16(body[0]) << 8 | UInt16(body[1]))
    let keepConnection = body[2] & FastCGI.keepConnectionFlag != 0
    if let active = request {
      guard active.id != requestId else { return fail(.duplicateBegin(requestId), events: &events) }
      refusedRequestId = requestId
      FastCGIResponseEncoder.appendEndRequest(
        requestId: requestId, protocolStatus: .cantMultiplexConnection, to: &pendingReply)
    } else if role != .responder {
      refusedRequestId = requestId
      FastCGIResponseEncoder.appendEndRequest(requestId: requestId, protocolStatus: .unknownRole, to: &pendingReply)
      if !keepConnection { terminate(.close, events: &events) }
    } else {
      request = ActiveRequest(id: requestId, keepConnection: keepConnection)
    }
  }

  /// The empty `FCGI_PARAMS` record (§5.2): the stream must be whole pairs; a
  /// `CONTENT_LENGTH` over the body limit is refused before the body is sent.
  mutating func endParams(events: inout [FastCGIEvent]) {
    guard scanParams() else {
      return terminate(.paramsTooLarge(requestId: request!.id), events: &events)
    }
    guard request!.paramsScanned == request!.params.count else {
      return fail(.paramsMalformed(.truncated(offset: request!.paramsScanned)), events: &events)
    }
    request!.paramsEnded = true
    let params = FastCGIParams(validated: request!.params)
    if let declared = params["CONTENT_LENGTH"].flatMap(Self.decimal) {
      guard declared <= limits.maxBodyBytes else {
        return terminate(
          .bodyTooLarge(requestId: request!.id, limit: limits.maxBodyBytes), events: &events)
      }
      if declared > request!.body.capacity { request!.body.reserveCapacity(declared) }
    }
    completeIfReady(events: &events)
  }

  /// Walks the params received so far as whole pairs; false when a pair declares an end past
  /// ``FastCGILimits/maxParamsBytes`` (its bytes need not have arrived).
  mutating func scanParams() -> Bool {
    let limit = limits.maxParamsBytes
    var scanned = request!.paramsScanned
    defer { request!.paramsScanned = scanned }
    return request!.params.withUnsafeBytes { raw in
      while scanned < raw.count {
        switch FastCGINameValuePairs.next(in: raw, at: scanned) {
        case .pair(_, let value):
          scanned = value.upperBound
        case .incomplete(let declaredEnd):
          return (declaredEnd ?? 0) <= limit
        }
      }
      return true
    }
  }

  /// Yields the request once both streams have ended (§6.2); its buffers move into the event.
  mutating func completeIfReady(events: inout [FastCGIEvent]) {
    guard let active = request, active.paramsEnded, active.stdinEnded else { return }
    let complete = FastCGIRequest(
      requestId: active.id, keepConnection: active.keepConnection,
      params: FastCGIParams(validated: active.params), body: active.body)
    request!.params = []
    request!.body = []
    emit(.request(complete), to: &events)
  }

  /// Appends `chunk`, growing `buffer` geometrically but never past `limit` bytes of capacity.
  static func append(_ chunk: UnsafeRawBufferPointer, to buffer: inout [UInt8], limit: Int) {
    let needed = buffer.count + chunk.count
    if needed > buffer.capacity { buffer.reserveCapacity(min(max(needed, buffer.capacity * 2), limit)) }
    buffer.append(contentsOf: chunk)
  }

  /// A decimal `CONTENT_LENGTH` (digits only, at most 18 of them), or nil.
  static func decimal(_ bytes: ArraySlice<UInt8>) -> Int? {
    guard !bytes.isEmpty, bytes.count <= 18 else { return bytes.isEmpty ? nil : Int.max }
    var value = 0
    for byte in bytes {
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
      value = value * 10 + Int(byte - UInt8(ascii: "0"))
    }
    return value
  }

  /// Appends `event` after any replies produced before it.
  mutating func emit(_ event: FastCGIEvent, to events: inout [FastCGIEvent]) {
    flushReplies(to: &events)
    events.append(event)
  }

  /// Moves the replies gathered so far into one ``FastCGIEvent/reply(_:)``.
  mutating func flushReplies(to events: inout [FastCGIEvent]) {
    guard !pendingReply.isEmpty else { return }
    events.append(.reply(pendingReply))
    pendingReply = []
  }

  /// Ends the connection with a protocol error.
  mutating func fail(_ error: FastCGIProtocolError, events: inout [FastCGIEvent]) {
    terminate(.protocolError(error), events: &events)
  }

  /// Emits a terminal event, drops every buffer and ignores all later bytes.
  mutating func terminate(_ event: FastCGIEvent, events: inout [FastCGIEvent]) {
    emit(event, to: &events)
    isClosed = true
    request = nil
    header = []
    recordContent = []
  }
}
