import FastCGIWire
import Testing

/// Requests refused by the rules (FastCGI spec §3.3, §5.1, §5.5) and protocol violations, each
/// with its stable code.
@Suite struct RefusalTests {
  @Test func secondBeginWhileARequestIsActiveGetsCantMultiplex() {
    var parser = FastCGIConnectionParser.testing()
    #expect(parser.consume(Wire.begin(1, keep: true)) == [])
    #expect(parser.consume(Wire.begin(2, keep: false)) == [.reply(Wire.endRequest(2, status: 1))])
    #expect(!parser.isClosed)
    #expect(parser.activeRequestId == 1)
    // The refused request's own records are ignored, before and after the active one ends.
    #expect(parser.consume(Wire.params(2, Wire.pair("A", "b")) + Wire.params(1, []) + Wire.stdin(1, [])).count == 1)
    parser.endRequest()
    #expect(parser.consume(Wire.params(2, []) + Wire.stdin(2, [])) == [])
  }

  @Test(arguments: [0 as UInt16, 2, 3, 4, 0xFFFF])
  func rolesOtherThanResponderAreUnknown(_ role: UInt16) {
    var kept = FastCGIConnectionParser.testing()
    #expect(kept.consume(Wire.begin(5, role: role, keep: true)) == [.reply(Wire.endRequest(5, status: 3))])
    #expect(!kept.isClosed)
    #expect(kept.activeRequestId == nil)
    #expect(kept.consume(Wire.params(5, Wire.pair("A", "b")) + Wire.stdin(5, [])) == [])

    var closing = FastCGIConnectionParser.testing()
    #expect(closing.consume(Wire.begin(5, role: role, keep: false)) == [.reply(Wire.endRequest(5, status: 3)), .close])
    #expect(closing.isClosed)
  }

  @Test func beginForTheActiveIdIsAProtocolError() {
    var parser = FastCGIConnectionParser.testing()
    #expect(parser.consume(Wire.begin(1) + Wire.begin(1)) == [.protocolError(.duplicateBegin(1))])
  }

  @Test(arguments: [0, 7, 9, 16])
  func beginWithABodyOtherThanEightBytesIsAProtocolError(_ length: Int) {
    var parser = FastCGIConnectionParser.testing()
    let events = parser.consume(Wire.record(1, id: 1, [UInt8](repeating: 0, count: length)))
    #expect(events == [.protocolError(.beginRequestLength(length))])
  }

  @Test(arguments: [4 as UInt8, 5])
  func streamRecordWithNoActiveRequestIsAProtocolError(_ type: UInt8) {
    var parser = FastCGIConnectionParser.testing()
    let events = parser.consume(Wire.record(type, id: 3, [1, 1, 0x41, 0x42]))
    #expect(events == [.protocolError(.noActiveRequest(FastCGIRecordType(rawValue: type), 3))])
    #expect(parser.bufferedByteCount == 0)
  }

  @Test func streamRecordAfterItsEndIsAProtocolError() {
    var parser = FastCGIConnectionParser.testing()
    let events = parser.consume(Wire.begin(1) + Wire.params(1, []) + Wire.params(1, Wire.pair("A", "b")))
    #expect(events == [.protocolError(.streamAlreadyEnded(.params, 1))])
    var second = FastCGIConnectionParser.testing()
    let more = second.consume(Wire.begin(1) + Wire.stdin(1, []) + Wire.stdin(1, []))
    #expect(more == [.protocolError(.streamAlreadyEnded(.stdin, 1))])
  }

  @Test(arguments: [3 as UInt8, 6, 7, 9, 10, 11, 12, 255])
  func typesAWebServerNeverSendsAreAProtocolError(_ type: UInt8) {
    var parser = FastCGIConnectionParser.testing()
    let events = parser.consume(Wire.begin(1) + Wire.record(type, id: 1, [0]))
    #expect(events == [.protocolError(.unexpectedType(FastCGIRecordType(rawValue: type), 1))])
  }

  @Test func badVersionAnywhereIsAProtocolErrorAndTheRestIgnored() {
    var parser = FastCGIConnectionParser.testing()
    let events = parser.consume(Wire.begin(1) + Wire.record(4, id: 1, [], version: 2) + Wire.request(2, params: []))
    #expect(events == [.protocolError(.badVersion(2))])
    #expect(parser.isClosed)
    #expect(parser.bufferedByteCount == 0)
    #expect(parser.consume(Wire.request(3, params: [])) == [])
  }

  @Test func malformedParamsAtTheEndOfTheStreamAreAProtocolError() {
    var parser = FastCGIConnectionParser.testing()
    let events = parser.consume(Wire.begin(1) + Wire.params(1, [3, 1, 0x41]) + Wire.params(1, []))
    #expect(events == [.protocolError(.paramsMalformed(.truncated(offset: 0)))])
  }

  @Test func errorCodesAreStable() {
    let codes = [
      FastCGIProtocolError.badVersion(0), .truncatedHeader, .beginRequestLength(0), .duplicateBegin(1),
      .noActiveRequest(.params, 1), .unexpectedType(.stdout, 1), .streamAlreadyEnded(.stdin, 1),
      .paramsMalformed(.truncated(offset: 0)), .getValuesMalformed(.truncated(offset: 0)),
      .managementTooLarge(2, limit: 1),
    ].map(\.code)
    #expect(
      codes == [
        "bad_version", "truncated_header", "begin_request_length", "duplicate_begin", "no_active_request",
        "unexpected_record_type", "stream_already_ended", "params_malformed", "get_values_malformed",
        "management_record_too_large",
      ])
  }
}
