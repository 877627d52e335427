import FastCGIWire
import Testing

/// The bounds of ``FastCGILimits``: params and body refused before their bytes are stored.
@Suite struct LimitTests {
  @Test func defaultsAreTheDocumentedOnes() {
    let limits = FastCGILimits(maxBodyBytes: 65536)
    #expect(limits.maxParamsBytes == 32768)
    #expect(limits.maxManagementBytes == 1024)
    #expect(limits.maxBodyBytes == 65536)
    #expect(limits.maxBufferedBytes == 8 + 32768 + 65536 + 1024)
  }

  @Test func paramsRecordThatWouldPassTheLimitIsRefusedAtItsHeader() {
    var parser = FastCGIConnectionParser.testing(maxParamsBytes: 100)
    let bytes = Wire.begin(1) + Wire.params(1, Wire.pair("A", String(repeating: "v", count: 60)))
    #expect(parser.consume(bytes) == [])
    let over = Wire.params(1, Wire.pair("B", String(repeating: "v", count: 40)))
    #expect(parser.consume(Array(over.prefix(8))) == [.paramsTooLarge(requestId: 1)])
    #expect(parser.isClosed)
    #expect(parser.bufferedByteCount == 0)
  }

  @Test func paramsExactlyAtTheLimitAreAccepted() {
    var parser = FastCGIConnectionParser.testing(maxParamsBytes: 100)
    let content = Wire.pair("A", String(repeating: "v", count: 97))
    #expect(content.count == 100)
    let events = parser.consume(Wire.begin(1) + Wire.params(1, content) + Wire.params(1, []) + Wire.stdin(1, []))
    #expect(events.first?.request?.params.bytes == content)
  }

  /// F3: libfcgi buffers whatever a pair declares (300 MB in, 310 MB RSS). Here the first
  /// bytes of a pair declaring ~1.8 GB end the request: nothing more is read or kept.
  @Test func pairDeclaringGigabytesIsRefusedFromItsLengths() {
    var parser = FastCGIConnectionParser.testing()
    let declared = 1_800_000_000
    #expect(Wire.length(declared) == [0xEB, 0x49, 0xD2, 0x00])
    // A record small enough to pass the header check; its pair declares a name of ~1.8 GB.
    let record = Wire.params(1, Wire.length(declared) + [0] + [UInt8](repeating: 0x41, count: 1000))
    #expect(parser.consume(Wire.begin(1) + Array(record.prefix(8 + 4))) == [])
    #expect(parser.consume(Array(record[12..<13])) == [.paramsTooLarge(requestId: 1)])
    #expect(parser.bufferedByteCount == 0)
    #expect(parser.consume(Array(record[13...])) == [])
  }

  @Test func pairDeclaringMoreThanTheLimitIsRefusedBeforeItsBytesArrive() {
    var parser = FastCGIConnectionParser.testing(maxParamsBytes: 1000)
    let first = Wire.pair("A", "b")
    let lengths: [UInt8] = [1, 0x80, 0, 3, 0xE4]  // name 1 byte, value 996: ends at 5 + 5 + 1 + 996 = 1007
    #expect(
      parser.consume(Wire.begin(1) + Wire.params(1, first + lengths)) == [.paramsTooLarge(requestId: 1)])
    var fits = FastCGIConnectionParser.testing(maxParamsBytes: 1007)
    #expect(fits.consume(Wire.begin(1) + Wire.params(1, first + lengths)) == [])
  }

  @Test func bodyRecordThatWouldPassTheLimitIsRefusedAtItsHeader() {
    var parser = FastCGIConnectionParser.testing(maxBodyBytes: 10)
    let bytes = Wire.begin(4) + Wire.params(4, []) + Wire.stdin(4, [UInt8](repeating: 1, count: 6))
    #expect(parser.consume(bytes) == [])
    let over = Wire.stdin(4, [UInt8](repeating: 1, count: 5))
    #expect(parser.consume(Array(over.prefix(8))) == [.bodyTooLarge(requestId: 4, limit: 10)])
    #expect(parser.bufferedByteCount == 0)
  }

  @Test func bodyExactlyAtTheLimitIsAccepted() {
    var parser = FastCGIConnectionParser.testing(maxBodyBytes: 10)
    let body = [UInt8](repeating: 7, count: 10)
    let events = parser.consume(
      Wire.begin(4) + Wire.params(4, []) + Wire.stdin(4, Array(body[..<3])) + Wire.stdin(4, Array(body[3...]))
        + Wire.stdin(4, []))
    #expect(events.first?.request?.body == body)
  }

  @Test func contentLengthOverTheLimitIsRefusedWhenTheParamsEnd() {
    for declared in ["11", "99999999999999999999999", "1000000000000000000"] {
      var parser = FastCGIConnectionParser.testing(maxBodyBytes: 10)
      let bytes = Wire.begin(2) + Wire.params(2, Wire.pair("CONTENT_LENGTH", declared)) + Wire.params(2, [])
      #expect(parser.consume(bytes) == [.bodyTooLarge(requestId: 2, limit: 10)])
    }
    for harmless in ["10", "", "abc", "-5"] {
      var parser = FastCGIConnectionParser.testing(maxBodyBytes: 10)
      let bytes =
        Wire.begin(2) + Wire.params(2, Wire.pair("CONTENT_LENGTH", harmless)) + Wire.params(2, []) + Wire.stdin(2, [])
      #expect(parser.consume(bytes).first?.request != nil)
    }
  }

  @Test func bufferedBytesNeverExceedTheStatedBound() {
    let limits = FastCGILimits(maxBodyBytes: 5000, maxParamsBytes: 3000)
    #expect(limits.maxBufferedBytes == 8 + 3000 + 5000 + 1024)
    var generator = SplitMix(state: 3)
    for _ in 0..<50 {
      var parser = FastCGIConnectionParser(limits: limits)
      var bytes = Wire.begin(1)
      for _ in 0..<Int.random(in: 1...40, using: &generator) {
        let size = Int.random(in: 0...400, using: &generator)
        bytes += Wire.record(Bool.random(using: &generator) ? 4 : 5, id: 1, [UInt8](repeating: 0, count: size))
      }
      var offset = 0
      while offset < bytes.count {
        let size = min(Int.random(in: 1...100, using: &generator), bytes.count - offset)
        _ = parser.consume(Array(bytes[offset..<offset + size]))
        #expect(parser.bufferedByteCount <= limits.maxBufferedBytes)
        offset += size
      }
    }
  }
}
