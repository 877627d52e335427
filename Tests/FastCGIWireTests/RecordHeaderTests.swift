import FastCGIWire
import Testing

/// The eight-byte record header (FastCGI spec §3.3).
@Suite struct RecordHeaderTests {
  @Test func parsesEveryFieldBigEndianAndIgnoresReserved() throws {
    let bytes: [UInt8] = [1, 5, 0x12, 0x34, 0xFF, 0xFE, 7, 0xAA]
    let header = try bytes.withUnsafeBytes { try FastCGIRecordHeader.parse($0) }
    #expect(header.version == 1)
    #expect(header.type == .stdin)
    #expect(header.requestId == 0x1234)
    #expect(header.contentLength == 65534)
    #expect(header.paddingLength == 7)
  }

  @Test func encodesByteExactWithReservedZero() {
    var out: [UInt8] = [9]
    FastCGIRecordHeader(type: .stdout, requestId: 0x0102, contentLength: 0x0304, paddingLength: 4)
      .encode(into: &out)
    #expect(out == [9, 1, 6, 1, 2, 3, 4, 4, 0])
  }

  @Test(arguments: [0 as UInt8, 2, 255])
  func refusesAnyVersionButOne(_ version: UInt8) {
    let bytes: [UInt8] = [version, 1, 0, 1, 0, 8, 0, 0]
    #expect(throws: FastCGIProtocolError.badVersion(version)) {
      try bytes.withUnsafeBytes { try FastCGIRecordHeader.parse($0) }
    }
    #expect(FastCGIProtocolError.badVersion(version).code == "bad_version")
  }

  @Test func refusesFewerThanEightBytes() {
    let bytes: [UInt8] = [1, 1, 0, 1, 0, 8, 0]
    #expect(throws: FastCGIProtocolError.truncatedHeader) {
      try bytes.withUnsafeBytes { try FastCGIRecordHeader.parse($0) }
    }
  }

  @Test(arguments: [(0, 0), (1, 7), (7, 1), (8, 0), (9, 7), (65535, 1), (65528, 0)])
  func paddingAlignsToEight(_ length: Int, _ padding: Int) {
    #expect(FastCGIRecordHeader.alignedPadding(for: length) == padding)
  }
}
