extension FastCGIConnectionParser {
  /// Reads header bytes at `offset`; on a whole header, dispatches the record. Returns the
  /// bytes used.
  mutating func readHeader(_ bytes: UnsafeRawBufferPointer, from offset: Int, events: inout [FastCGIEvent]) -> Int {
    let direct = header.isEmpty && bytes.count - offset >= FastCGI.headerLength
    let used = direct ? FastCGI.headerLength : min(FastCGI.headerLength - header.count, bytes.count - offset)
    let piece = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + used])
    if !direct {
      header.append(contentsOf: piece)
      guard header.count == FastCGI.headerLength else { return used }
    }
    let parsed =
      direct
      ? Result { () throws(FastCGIProtocolError) in try FastCGIRecordHeader.parse(piece) }
      : header.withUnsafeBytes { raw in
        Result { () throws(FastCGIProtocolError) in try FastCGIRecordHeader.parse(raw) }
      }
    guard case .success(let record) = parsed else {
      if case .failure(let error) = parsed { fail(error, events: &events) }
      return used
    }
    header.removeAll(keepingCapacity: true)
    begin(record, events: &events)
    return used
  }

  /// Decides what a record is for from its header (§3.3, §4, §5).
  mutating func begin(_ record: FastCGIRecordHeader, events: inout [FastCGIEvent]) {
    if record.requestId == FastCGI.nullRequestId {
      guard record.type == .getValues else {
        FastCGIManagement.appendUnknownType(record.type, to: &pendingReply)
        return expect(record, sink: .skip, events: &events)
      }
      guard record.contentLength <= limits.maxManagementBytes else {
        return fail(.managementTooLarge(record.contentLength, limit: limits.maxManagementBytes), events: &events)
      }
      return expect(record, sink: .getValues, events: &events)
    }
    switch record.type {
    case .beginRequest:
      guard record.contentLength == 8 else {
        return fail(.beginRequestLength(record.contentLength), events: &events)
      }
      expect(record, sink: .beginBody, events: &events)
    case .abortRequest:
      if let active = request, active.id == record.requestId, !active.aborted {
        request = ActiveRequest(id: active.id, keepConnection: active.keepConnection, aborted: true)
        emit(.aborted(requestId: active.id), to: &events)
      }
      expect(record, sink: .skip, events: &events)
    case .params, .stdin:
      beginStream(record, events: &events)
    case .data:
      // The filter role's stream (§6.4); a responder never reads it, so it is skipped unread.
      expect(record, sink: .skip, events: &events)
    default:
      fail(.unexpectedType(record.type, record.requestId), events: &events)
    }
  }

  /// An `FCGI_PARAMS` or `FCGI_STDIN` record (§5.2, §5.3): refused when no request is active,
  /// ignored for an inactive id, limits checked before any content is stored.
  mutating func beginStream(_ record: FastCGIRecordHeader, events: inout [FastCGIEvent]) {
    guard let active = request else {
      if record.requestId == refusedRequestId || record.requestId == endedRequestId {
        return expect(record, sink: .skip, events: &events)
      }
      return fail(.noActiveRequest(record.type, record.requestId), events: &events)
    }
    guard active.id == record.requestId, !active.aborted else {
      return expect(record, sink: .skip, events: &events)
    }
    let isParams = record.type == .params
    guard !(isParams ? active.paramsEnded : active.stdinEnded) else {
      return fail(.streamAlreadyEnded(record.type, record.requestId), events: &events)
    }
    if isParams {
      guard active.params.count + record.contentLength <= limits.maxParamsBytes else {
        return terminate(.paramsTooLarge(requestId: active.id), events: &events)
      }
      expect(record, sink: .params, events: &events)
    } else {
      guard active.body.count + record.contentLength <= limits.maxBodyBytes else {
        return terminate(.bodyTooLarge(requestId: active.id, limit: limits.maxBodyBytes), events: &events)
      }
      expect(record, sink: .stdin, events: &events)
    }
  }

  /// Enters the content of `record`, or ends it at once when it has none.
  mutating func expect(_ record: FastCGIRecordHeader, sink: Sink, events: inout [FastCGIEvent]) {
    phase = .content(record, remaining: record.contentLength, sink: sink)
    if record.contentLength == 0 { endContent(record, sink: sink, events: &events) }
  }

  /// Stores or drops a piece of content.
  mutating func take(
    _ chunk: UnsafeRawBufferPointer, sink: Sink, record: FastCGIRecordHeader, events: inout [FastCGIEvent]
  ) {
    switch request == nil ? sink.withoutRequest : sink {
    case .skip:
      break
    case .beginBody, .getValues:
      recordContent.append(contentsOf: chunk)
    case .params:
      Self.append(chunk, to: &request!.params, limit: limits.maxParamsBytes)
      if !scanParams() { terminate(.paramsTooLarge(requestId: record.requestId), events: &events) }
    case .stdin:
      Self.append(chunk, to: &request!.body, limit: limits.maxBodyBytes)
    }
  }

  /// Acts on a record whose content has all arrived, then moves on to its padding.
  mutating func endContent(_ record: FastCGIRecordHeader, sink: Sink, events: inout [FastCGIEvent]) {
    phase = record.paddingLength > 0 ? .padding(remaining: record.paddingLength) : .header
    switch request == nil ? sink.withoutRequest : sink {
    case .skip:
      break
    case .stdin where record.contentLength > 0, .params where record.contentLength > 0:
      break
    case .beginBody:
      let content = recordContent
      recordContent.removeAll(keepingCapacity: true)
      beginRequest(record.requestId, body: content, events: &events)
    case .getValues:
      let answered = recordContent.withUnsafeBytes { query in
        Result { () throws(FastCGIProtocolError) in
          try FastCGIManagement.appendGetValuesResult(query: query, limits: limits, to: &pendingReply)
        }
      }
      recordContent.removeAll(keepingCapacity: true)
      if case .failure(let error) = answered { fail(error, events: &events) }
    case .params:
      endParams(events: &events)
    case .stdin:
      request!.stdinEnded = true
      completeIfReady(events: &events)
    }
  }
}
