import FastCGIWire
import Testing

/// Requests through ``FastCGIConnectionParser``: complete only when both streams have ended,
/// whatever the pieces the bytes arrive in.
@Suite struct ParserRequestTests {
  static let params: [(String, String)] = [
    ("REQUEST_METHOD", "POST"), ("REQUEST_URI", "/handle-payment"), ("CONTENT_LENGTH", "11"),
    ("HTTP_X_LONG", String(repeating: "x", count: 300)),
  ]
  static let body = Array("hello world".utf8)

  func expectRequest(_ events: [FastCGIEvent], id: UInt16, keep: Bool) {
    #expect(events.count == 1)
    guard let request = events.first?.request else {
      Issue.record("expected a request, got \(events)")
      return
    }
    #expect(request.requestId == id)
    #expect(request.keepConnection == keep)
    #expect(request.body == Self.body)
    #expect(request.params.map { String(decoding: $0.name, as: UTF8.self) } == Self.params.map(\.0))
    #expect(request.params.map { String(decoding: $0.value, as: UTF8.self) } == Self.params.map(\.1))
    #expect(request.params.bytes == Self.params.flatMap { Wire.pair($0.0, $0.1) })
  }

  @Test func wholeRequestInOneReadIsOneEvent() {
    var parser = FastCGIConnectionParser.testing()
    let events = parser.consume(Wire.request(1, params: Self.params, body: Self.body))
    expectRequest(events, id: 1, keep: false)
    #expect(parser.activeRequestId == 1)
    #expect(parser.bufferedByteCount == 0)
  }

  @Test func keepConnectionFlagIsReported() {
    var parser = FastCGIConnectionParser.testing()
    expectRequest(parser.consume(Wire.request(7, keep: true, params: Self.params, body: Self.body)), id: 7, keep: true)
  }

  @Test func nothingIsYieldedUntilBothStreamsEnd() {
    var parser = FastCGIConnectionParser.testing()
    let content = Self.params.flatMap { Wire.pair($0.0, $0.1) }
    #expect(parser.consume(Wire.begin(3) + Wire.params(3, content) + Wire.params(3, [])) == [])
    #expect(parser.consume(Wire.stdin(3, Self.body)) == [])
    #expect(parser.bufferedByteCount == content.count + Self.body.count)
    expectRequest(parser.consume(Wire.stdin(3, [])), id: 3, keep: false)
  }

  @Test func bodyMayArriveBeforeTheParamsEnd() {
    var parser = FastCGIConnectionParser.testing()
    let content = Self.params.flatMap { Wire.pair($0.0, $0.1) }
    let bytes =
      Wire.begin(2) + Wire.stdin(2, Array(Self.body[..<5])) + Wire.params(2, content)
      + Wire.stdin(2, Array(Self.body[5...])) + Wire.stdin(2, []) + Wire.params(2, [])
    expectRequest(parser.consume(bytes), id: 2, keep: false)
  }

  @Test func paramsSplitAcrossRecordsInsideAPairAreJoined() {
    var parser = FastCGIConnectionParser.testing()
    let content = Self.params.flatMap { Wire.pair($0.0, $0.1) }
    var bytes = Wire.begin(1)
    for start in stride(from: 0, to: content.count, by: 7) {
      bytes += Wire.params(1, Array(content[start..<min(start + 7, content.count)]))
    }
    bytes += Wire.params(1, []) + Wire.stdin(1, Self.body) + Wire.stdin(1, [])
    expectRequest(parser.consume(bytes), id: 1, keep: false)
  }

  @Test func paddingIsSkippedWhereverItFalls() {
    var parser = FastCGIConnectionParser.testing()
    let content = Self.params.flatMap { Wire.pair($0.0, $0.1) }
    let bytes =
      Wire.record(1, id: 4, [0, 1, 0, 0, 0, 0, 0, 0], padding: 255) + Wire.record(4, id: 4, content, padding: 3)
      + Wire.record(4, id: 4, [], padding: 8) + Wire.record(5, id: 4, Self.body, padding: 5)
      + Wire.record(5, id: 4, [], padding: 1)
    expectRequest(parser.consume(bytes, pieces: [1]), id: 4, keep: false)
    var whole = FastCGIConnectionParser.testing()
    expectRequest(whole.consume(bytes), id: 4, keep: false)
  }

  @Test func emptyParamsAndEmptyBodyMakeARequest() {
    var parser = FastCGIConnectionParser.testing()
    let events = parser.consume(Wire.begin(9) + Wire.params(9, []) + Wire.stdin(9, []))
    let expected = FastCGIRequest(
      requestId: 9, keepConnection: false, params: try! FastCGIParams(validating: []), body: [])
    #expect(events == [.request(expected)])
  }

  /// The same events whether the bytes come whole, one at a time or in random pieces.
  @Test func everySplitYieldsTheSameEvents() {
    let bytes =
      Wire.record(0, id: 0) + Wire.record(9, id: 0, Wire.pair("FCGI_MPXS_CONNS", ""))
      + Wire.request(1, keep: true, params: Self.params, body: Self.body)
      + Wire.record(77, id: 0, [1, 2, 3], padding: 5)
    var whole = FastCGIConnectionParser.testing()
    let expected = whole.consume(bytes)
    #expect(expected.compactMap(\.request).count == 1)
    #expect(replyBytes(expected).count == 16 + 32 + 16)

    var single = FastCGIConnectionParser.testing()
    let oneByOne = single.consume(bytes, pieces: [1])
    #expect(oneByOne.compactMap(\.request) == expected.compactMap(\.request))
    #expect(replyBytes(oneByOne) == replyBytes(expected))

    var generator = SplitMix(state: 11)
    for _ in 0..<200 {
      var parser = FastCGIConnectionParser.testing()
      let pieces = (0..<40).map { _ in Int.random(in: 1...40, using: &generator) }
      let events = parser.consume(bytes, pieces: pieces)
      #expect(events.compactMap(\.request) == expected.compactMap(\.request))
      #expect(replyBytes(events) == replyBytes(expected))
    }
  }

  /// Every cut point of a request: a first piece of `cut` bytes, then the rest.
  @Test func everyByteBoundaryYieldsTheSameRequest() {
    let bytes = Wire.request(5, keep: true, params: Self.params, body: Self.body)
    for cut in 0...bytes.count {
      var parser = FastCGIConnectionParser.testing()
      var events = parser.consume(Array(bytes[..<cut]))
      events += parser.consume(Array(bytes[cut...]))
      expectRequest(events, id: 5, keep: true)
    }
  }

  @Test func sequentialRequestsOnOneConnection() {
    var parser = FastCGIConnectionParser.testing()
    for id: UInt16 in [1, 1, 2, 65535] {
      expectRequest(
        parser.consume(Wire.request(id, keep: true, params: Self.params, body: Self.body)), id: id, keep: true)
      parser.endRequest()
      #expect(parser.activeRequestId == nil)
    }
  }

  @Test func twoRequestsInOneReadAnswerTheSecondWithCantMultiplexUntilTheFirstEnds() {
    var parser = FastCGIConnectionParser.testing()
    let events = parser.consume(
      Wire.request(1, keep: true, params: Self.params, body: Self.body)
        + Wire.request(2, keep: true, params: Self.params, body: Self.body))
    #expect(events.count == 2)
    #expect(events.first?.request?.requestId == 1)
    #expect(events.last == .reply(Wire.endRequest(2, status: 1)))
  }

  @Test func requestIdsOtherThanTheActiveOneAreIgnored() {
    var parser = FastCGIConnectionParser.testing()
    let content = Self.params.flatMap { Wire.pair($0.0, $0.1) }
    let bytes =
      Wire.begin(1) + Wire.params(2, [1, 2, 3]) + Wire.params(1, content) + Wire.stdin(3, [9, 9]) + Wire.params(1, [])
      + Wire.record(2, id: 8, []) + Wire.stdin(1, Self.body) + Wire.record(8, id: 1, [1, 2]) + Wire.stdin(1, [])
    expectRequest(parser.consume(bytes), id: 1, keep: false)
  }

  @Test func abortOfTheActiveRequestDropsItsBuffersAndIgnoresItsRecords() {
    var parser = FastCGIConnectionParser.testing()
    let content = Self.params.flatMap { Wire.pair($0.0, $0.1) }
    let events = parser.consume(
      Wire.begin(6) + Wire.params(6, content) + Wire.record(2, id: 6, []) + Wire.params(6, []) + Wire.stdin(6, []))
    #expect(events == [.aborted(requestId: 6)])
    #expect(parser.bufferedByteCount == 0)
    #expect(parser.activeRequestId == 6)
    #expect(parser.consume(Wire.record(2, id: 6, [])) == [])
    parser.endRequest()
    expectRequest(parser.consume(Wire.request(6, params: Self.params, body: Self.body)), id: 6, keep: false)
  }

  @Test func recordsStillArrivingForAnEndedRequestAreIgnored() {
    var parser = FastCGIConnectionParser.testing()
    #expect(parser.consume(Wire.begin(4, keep: true) + Wire.record(2, id: 4, [])) == [.aborted(requestId: 4)])
    parser.endRequest()
    #expect(parser.consume(Wire.params(4, Wire.pair("A", "b")) + Wire.stdin(4, [1, 2]) + Wire.stdin(4, [])) == [])
    #expect(!parser.isClosed)
    expectRequest(parser.consume(Wire.request(4, params: Self.params, body: Self.body)), id: 4, keep: false)
    #expect(parser.consume(Wire.stdin(5, [1])) == [])
    parser.endRequest()
    #expect(parser.consume(Wire.stdin(4, [1])) == [])
    #expect(parser.consume(Wire.stdin(5, [1])) == [.protocolError(.noActiveRequest(.stdin, 5))])
  }

  @Test func abortAfterCompletionIsReportedAndAbortOfAnotherIdIgnored() {
    var parser = FastCGIConnectionParser.testing()
    _ = parser.consume(Wire.request(1, keep: true, params: Self.params, body: Self.body))
    #expect(parser.consume(Wire.record(2, id: 2, [])) == [])
    #expect(parser.consume(Wire.record(2, id: 1, [])) == [.aborted(requestId: 1)])
  }

  @Test func endingTheRequestMidRecordSkipsTheRestOfIt() {
    var parser = FastCGIConnectionParser.testing()
    let stdin = Wire.stdin(1, [UInt8](repeating: 1, count: 100))
    #expect(parser.consume(Wire.begin(1, keep: true) + Wire.params(1, []) + Array(stdin[..<50])) == [])
    parser.endRequest()
    #expect(parser.consume(Array(stdin[50...])) == [])
    #expect(parser.bufferedByteCount == 0)
    expectRequest(parser.consume(Wire.request(2, params: Self.params, body: Self.body)), id: 2, keep: false)
  }
}
