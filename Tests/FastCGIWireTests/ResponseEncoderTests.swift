import FastCGIWire
import Testing

/// The application's records (FastCGI spec §5.3, §5.5), byte-exact.
@Suite struct ResponseEncoderTests {
  @Test func smallResponseIsOnePaddedRecordTheEmptyOneAndEndRequest() {
    var out: [UInt8] = []
    let cgi = Array("Status: 200 OK\r\n\r\nok".utf8)
    FastCGIResponseEncoder.appendResponse(cgi, requestId: 0x0102, to: &out)
    let padding = (8 - cgi.count % 8) % 8
    let expected =
      Wire.record(6, id: 0x0102, cgi, padding: padding) + Wire.record(6, id: 0x0102)
      + Wire.endRequest(0x0102, status: 0)
    #expect(out == expected)
    #expect(out.count % 8 == 0)
  }

  @Test func appStatusIsBigEndianAndEveryProtocolStatusHasItsByte() {
    var out: [UInt8] = []
    FastCGIResponseEncoder.appendEndRequest(requestId: 1, appStatus: 0x0A0B_0C0D, to: &out)
    #expect(out == [1, 3, 0, 1, 0, 8, 0, 0, 0x0A, 0x0B, 0x0C, 0x0D, 0, 0, 0, 0])
    for (status, byte) in [
      (FastCGIProtocolStatus.requestComplete, 0 as UInt8), (.cantMultiplexConnection, 1), (.overloaded, 2),
      (.unknownRole, 3),
    ] {
      var record: [UInt8] = []
      FastCGIResponseEncoder.appendEndRequest(requestId: 7, protocolStatus: status, to: &record)
      #expect(record == Wire.endRequest(7, status: byte))
    }
  }

  @Test(arguments: [65527, 65528, 65529, 65535, 65536, 200_000])
  func largeResponsesAreCutIntoRecordsOfAtMost65528Bytes(_ size: Int) {
    let cgi = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    var out: [UInt8] = [0xEE]
    FastCGIResponseEncoder.appendStdout(cgi, requestId: 3, to: &out)
    #expect(out.first == 0xEE)
    var expected: [UInt8] = [0xEE]
    for start in stride(from: 0, to: size, by: 65528) {
      let piece = Array(cgi[start..<min(start + 65528, size)])
      expected += Wire.record(6, id: 3, piece, padding: (8 - piece.count % 8) % 8)
    }
    #expect(out == expected)
  }

  @Test func emptyStdoutAppendsNothingAndTheBufferIsReusable() {
    var out: [UInt8] = []
    FastCGIResponseEncoder.appendStdout([], requestId: 1, to: &out)
    #expect(out.isEmpty)
    FastCGIResponseEncoder.appendResponse([], requestId: 1, to: &out)
    #expect(out == Wire.record(6, id: 1) + Wire.endRequest(1, status: 0))
    let capacity = out.capacity
    out.removeAll(keepingCapacity: true)
    FastCGIResponseEncoder.appendEndOfStdout(requestId: 1, to: &out)
    #expect(out == Wire.record(6, id: 1))
    #expect(out.capacity == capacity)
  }
}
