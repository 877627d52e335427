import FastCGIWire

/// Small limits, so that the fuzzer reaches every bound quickly.
let limits = FastCGILimits(maxBodyBytes: 4096, maxParamsBytes: 1024, maxManagementBytes: 256)

/// The FastCGI record layer on arbitrary bytes: ``FastCGIParams`` on the raw input, then
/// three ``FastCGIConnectionParser``s over the same bytes — whole, in pieces chosen from the
/// input's hash, and in pieces with the server's ``FastCGIConnectionParser/endRequest()``
/// after every request. Never a crash; the same events whatever the pieces; never more than
/// ``FastCGILimits/maxBufferedBytes`` held; every event valid (see ``check(_:)``).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = UnsafeRawBufferPointer(start: data, count: size)
  checkParams(Array(bytes))

  var whole = FastCGIConnectionParser(limits: limits)
  let expected = whole.consume(bytes)
  check(expected, input: size)

  var pieces = Pieces(bytes)
  var split = FastCGIConnectionParser(limits: limits)
  var events: [FastCGIEvent] = []
  var served = FastCGIConnectionParser(limits: limits)
  var servedEvents: [FastCGIEvent] = []
  var offset = 0
  while offset < size {
    let length = min(pieces.next(), size - offset)
    let piece = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
    split.consume(piece, into: &events)
    precondition(split.bufferedByteCount <= limits.maxBufferedBytes, "split parser holds too much")
    let start = servedEvents.count
    served.consume(piece, into: &servedEvents)
    precondition(served.bufferedByteCount <= limits.maxBufferedBytes, "served parser holds too much")
    for event in servedEvents[start...] {
      switch event {
      case .request, .aborted: served.endRequest()
      default: break
      }
    }
    offset += length
  }
  precondition(joined(events) == joined(expected), "pieces changed the events")
  check(servedEvents, input: size)
  return 0
}

/// The pure name-value decoder: a stream it accepts yields pairs in order, each name right
/// after its 2 to 8 length bytes and its value right after the name, the last ending the stream.
func checkParams(_ bytes: [UInt8]) {
  guard let params = try? FastCGIParams(validating: bytes, maxBytes: .max) else { return }
  var end = 0
  for pair in params {
    let lengths = pair.name.startIndex - end
    precondition(lengths >= 2 && lengths <= 8, "pair lengths")
    precondition(pair.name.endIndex == pair.value.startIndex, "value not after name")
    end = pair.value.endIndex
  }
  precondition(end == bytes.count, "pairs do not cover the stream")
}

/// Invariants of one connection's events: nothing after a terminal event; requests within the
/// limits with params that validate; replies whole records the application may send, in total
/// at most twice the input.
func check(_ events: [FastCGIEvent], input: Int) {
  var replied = 0
  for (index, event) in events.enumerated() {
    switch event {
    case .request(let request):
      precondition(request.requestId != 0, "request id 0")
      precondition(request.body.count <= limits.maxBodyBytes, "body over the limit")
      precondition(
        (try? FastCGIParams(validating: request.params.bytes, maxBytes: limits.maxParamsBytes)) != nil, "bad params")
    case .reply(let bytes):
      replied += bytes.count
      checkRecords(bytes)
    case .paramsTooLarge, .bodyTooLarge, .protocolError, .close:
      precondition(index == events.count - 1, "events after a terminal event")
    case .aborted:
      break
    }
  }
  precondition(replied <= 2 * input, "replies larger than twice the input")
}

/// Replies are whole version-1 records of the types an application sends.
func checkRecords(_ bytes: [UInt8]) {
  var offset = 0
  while offset < bytes.count {
    precondition(bytes.count - offset >= 8 && bytes[offset] == 1, "reply header")
    let type = bytes[offset + 1]
    precondition(type == 3 || type == 10 || type == 11, "reply type \(type)")
    offset += 8 + (Int(bytes[offset + 4]) << 8 | Int(bytes[offset + 5])) + Int(bytes[offset + 6])
  }
  precondition(offset == bytes.count, "reply length")
}

/// Events with adjacent replies joined: where the pieces fall may split one reply event.
/// Linear: replies are gathered in one buffer (joining pairwise was quadratic in the pieces).
func joined(_ events: [FastCGIEvent]) -> [FastCGIEvent] {
  var result: [FastCGIEvent] = []
  var replies: [UInt8] = []
  for event in events {
    if case .reply(let bytes) = event {
      replies.append(contentsOf: bytes)
      continue
    }
    if !replies.isEmpty {
      result.append(.reply(replies))
      replies = []
    }
    result.append(event)
  }
  if !replies.isEmpty { result.append(.reply(replies)) }
  return result
}

/// Piece sizes from 1 to 64, from a generator seeded by the input's FNV-1a hash.
struct Pieces {
  var state: UInt64

  init(_ bytes: UnsafeRawBufferPointer) {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    state = hash
  }

  mutating func next() -> Int {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Int(state >> 58) + 1
  }
}
