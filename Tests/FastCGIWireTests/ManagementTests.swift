import FastCGIWire
import Testing

/// Management records (FastCGI spec §4): `FCGI_GET_VALUES` answered with what we support, each
/// at most once; every other type answered with `FCGI_UNKNOWN_TYPE`.
@Suite struct ManagementTests {
  func getValues(_ names: [String]) -> [UInt8] {
    Wire.record(9, id: 0, names.flatMap { Wire.pair($0, "") })
  }

  func result(_ pairs: [(String, String)]) -> [UInt8] {
    let content = pairs.flatMap { Wire.pair($0.0, $0.1) }
    return Wire.record(10, id: 0, content, padding: (8 - content.count % 8) % 8)
  }

  @Test func getValuesReportsOurLimitsAndNoMultiplexing() {
    var parser = FastCGIConnectionParser(limits: FastCGILimits(maxBodyBytes: 10, maxConnections: 512, maxRequests: 64))
    let events = parser.consume(getValues(["FCGI_MAX_CONNS", "FCGI_MAX_REQS", "FCGI_MPXS_CONNS"]))
    let expected = result([("FCGI_MAX_CONNS", "512"), ("FCGI_MAX_REQS", "64"), ("FCGI_MPXS_CONNS", "0")])
    #expect(events == [.reply(expected)])
    #expect(expected.count % 8 == 0)
  }

  /// F1: libfcgi builds this reply in a 64-byte stack buffer and smashes its stack.
  @Test(arguments: [4, 5, 20, 60])
  func namesAskedManyTimesAreAnsweredOnce(_ times: Int) {
    var parser = FastCGIConnectionParser.testing()
    let names = Array(repeating: "FCGI_MAX_CONNS", count: times) + ["FCGI_MPXS_CONNS", "FCGI_MAX_CONNS"]
    let events = parser.consume(getValues(names))
    #expect(events == [.reply(result([("FCGI_MAX_CONNS", "1024"), ("FCGI_MPXS_CONNS", "0")]))])
    #expect(!parser.isClosed)
  }

  @Test func unknownNamesAndQueryValuesAreIgnored() {
    var parser = FastCGIConnectionParser.testing()
    let query = Wire.pair("FCGI_WHATEVER", "") + Wire.pair("FCGI_MPXS_CONNS", "1") + Wire.pair("fcgi_max_reqs", "")
    #expect(parser.consume(Wire.record(9, id: 0, query, padding: 3)) == [.reply(result([("FCGI_MPXS_CONNS", "0")]))])
  }

  @Test func emptyQueryGetsAnEmptyResult() {
    var parser = FastCGIConnectionParser.testing()
    #expect(parser.consume(Wire.record(9, id: 0)) == [.reply(Wire.record(10, id: 0))])
  }

  @Test func malformedQueryIsAProtocolError() {
    var parser = FastCGIConnectionParser.testing()
    let events = parser.consume(Wire.record(9, id: 0, [14, 0] + Array("FCGI_MAX".utf8)))
    #expect(events == [.protocolError(.getValuesMalformed(.truncated(offset: 0)))])
    #expect(events.first.map { if case .protocolError(let e) = $0 { e.code } else { "" } } == "get_values_malformed")
    #expect(parser.isClosed)
  }

  @Test func queryOverTheManagementLimitIsRefusedBeforeItIsRead() {
    var parser = FastCGIConnectionParser.testing()
    let header = Array(Wire.record(9, id: 0, [UInt8](repeating: 0, count: 1025)).prefix(8))
    #expect(parser.consume(header) == [.protocolError(.managementTooLarge(1025, limit: 1024))])
    #expect(parser.bufferedByteCount == 0)
  }

  @Test(arguments: [0 as UInt8, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 200, 255])
  func everyOtherManagementTypeIsUnknown(_ type: UInt8) {
    var parser = FastCGIConnectionParser.testing()
    let events = parser.consume(Wire.record(type, id: 0, [1, 2, 3, 4, 5], padding: 3))
    #expect(events == [.reply(Wire.record(11, id: 0, [type, 0, 0, 0, 0, 0, 0, 0]))])
    #expect(parser.bufferedByteCount == 0)
    #expect(!parser.isClosed)
  }

  /// F4: libfcgi leaks about 62 bytes per unknown-type record. Here nothing is kept: one
  /// 16-byte answer per record, nothing buffered, across a million records.
  @Test func floodOfUnknownTypesKeepsNothing() {
    var parser = FastCGIConnectionParser.testing()
    let chunk = (0..<8192).flatMap { Wire.record(UInt8(12 + $0 % 200), id: 0) }
    let answers = (0..<8192).flatMap { Wire.record(11, id: 0, [UInt8(12 + $0 % 200), 0, 0, 0, 0, 0, 0, 0]) }
    var answered = 0
    for _ in 0..<128 {
      let events = parser.consume(chunk)
      #expect(events == [.reply(answers)])
      answered += replyBytes(events).count / 16
      #expect(parser.bufferedByteCount == 0)
    }
    #expect(answered == 1_048_576)
  }

  @Test func managementRecordsAreAnsweredInTheMiddleOfARequest() {
    var parser = FastCGIConnectionParser.testing()
    let bytes =
      Wire.begin(1) + Wire.params(1, Wire.pair("A", "b")) + getValues(["FCGI_MPXS_CONNS"]) + Wire.params(1, [])
      + Wire.record(20, id: 0) + Wire.stdin(1, [])
    let events = parser.consume(bytes)
    #expect(events.count == 2)
    #expect(
      events.first
        == .reply(result([("FCGI_MPXS_CONNS", "0")]) + Wire.record(11, id: 0, [20, 0, 0, 0, 0, 0, 0, 0])))
    #expect(events.last?.request?.params["A"].map(Array.init) == [0x62])
  }
}
