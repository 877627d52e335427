import FastCGIWire
import Testing

/// Name-value pairs (FastCGI spec §3.4): lengths of one or four bytes, every one bounded.
@Suite struct NameValuePairsTests {
  func walk(_ bytes: [UInt8], maxBytes: Int = .max) throws(FastCGINameValueError) -> [([UInt8], [UInt8])] {
    var pairs: [([UInt8], [UInt8])] = []
    let result = bytes.withUnsafeBytes { raw in
      Result { () throws(FastCGINameValueError) in
        try FastCGINameValuePairs.forEach(in: raw, maxBytes: maxBytes) { name, value in
          pairs.append((Array(raw[name]), Array(raw[value])))
        }
      }
    }
    try result.get()
    return pairs
  }

  @Test func readsOneAndFourByteLengths() throws {
    let long = [UInt8](repeating: 0x61, count: 300)
    let bytes: [UInt8] =
      [4, 1] + Array("NAMEv".utf8) + [0x80, 0, 0, 3, 0x80, 0, 0x01, 0x2C] + Array("abc".utf8) + long
    let pairs = try walk(bytes)
    #expect(pairs.count == 2)
    #expect(pairs[0].0 == Array("NAME".utf8) && pairs[0].1 == Array("v".utf8))
    #expect(pairs[1].0 == Array("abc".utf8) && pairs[1].1 == long)
  }

  @Test func encodesLengthsAt127And128ByteExact() {
    var out: [UInt8] = []
    FastCGINameValuePairs.append(
      name: [UInt8](repeating: 1, count: 127), value: [UInt8](repeating: 2, count: 128), to: &out)
    #expect(Array(out.prefix(5)) == [127, 0x80, 0, 0, 128])
    #expect(out.count == 5 + 127 + 128)
    var empty: [UInt8] = []
    FastCGINameValuePairs.append(name: [UInt8](), value: [UInt8](), to: &empty)
    #expect(empty == [0, 0])
  }

  @Test func encodedPairsReadBack() throws {
    var out: [UInt8] = []
    let names: [[UInt8]] = [[], [0x41], [UInt8](repeating: 0x42, count: 200)]
    for name in names { FastCGINameValuePairs.append(name: name, value: name + [0], to: &out) }
    let pairs = try walk(out)
    #expect(pairs.map(\.0) == names)
    #expect(pairs.map(\.1) == names.map { $0 + [0] })
  }

  /// F2: libfcgi adds `nameLen + valueLen + 2` in an `int` and aborts on this 32-byte input.
  @Test func nameLengthTwoToThe31MinusTwoIsACleanError() {
    let bytes: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFE, 0x00] + [UInt8](repeating: 0x41, count: 27)
    #expect(throws: FastCGINameValueError.truncated(offset: 0)) { try walk(bytes) }
    #expect(throws: FastCGINameValueError.tooLarge(limit: 32768)) { try walk(bytes, maxBytes: 32768) }
    bytes.withUnsafeBytes { raw in
      #expect(FastCGINameValuePairs.next(in: raw, at: 0) == .incomplete(declaredEnd: 5 + 0x7FFF_FFFE))
    }
  }

  @Test func largestLengthsInBothFieldsDoNotOverflow() {
    let bytes: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
    bytes.withUnsafeBytes { raw in
      #expect(FastCGINameValuePairs.next(in: raw, at: 0) == .incomplete(declaredEnd: 8 + 2 * 0x7FFF_FFFF))
    }
    #expect(throws: FastCGINameValueError.truncated(offset: 0)) { try walk(bytes) }
  }

  @Test(arguments: [
    [UInt8]([0x80]), [0x80, 0, 0], [3], [3, 0x80, 0], [3, 1, 0x41, 0x42], [1, 1, 0x41, 0x42, 0],
  ])
  func truncatedLengthsAndPairsAreRefused(_ bytes: [UInt8]) {
    #expect(throws: FastCGINameValueError.self) { try walk(bytes) }
  }

  @Test func truncationIsReportedAtThePairThatRunsOver() {
    let bytes = Wire.pair("A", "b") + [5, 0, 0x41]
    #expect(throws: FastCGINameValueError.truncated(offset: 4)) { try walk(bytes) }
  }

  @Test func streamOverTheLimitIsRefusedEvenWhenWellFormed() {
    let bytes = Wire.pair("NAME", String(repeating: "v", count: 100))
    #expect(throws: FastCGINameValueError.tooLarge(limit: 50)) { try walk(bytes, maxBytes: 50) }
    #expect(throws: Never.self) { try walk(bytes, maxBytes: bytes.count) }
  }

  @Test func paramsLookUpTheFirstPairByNameAndIterateInOrder() throws {
    let bytes = Wire.pair("A", "1") + Wire.pair("B", "") + Wire.pair("A", "2")
    let params = try FastCGIParams(validating: bytes)
    #expect(params["A"].map(Array.init) == Array("1".utf8))
    #expect(params["B"].map(Array.init) == [])
    #expect(params["C"] == nil)
    #expect(params.map { Array($0.name) + Array($0.value) } == [Array("A1".utf8), Array("B".utf8), Array("A2".utf8)])
  }

  @Test func paramsRefuseMalformedAndOversizedStreams() {
    #expect(throws: FastCGINameValueError.truncated(offset: 0)) { try FastCGIParams(validating: [2, 0, 0x41]) }
    #expect(throws: FastCGINameValueError.tooLarge(limit: 4)) {
      try FastCGIParams(validating: Wire.pair("AB", "CD"), maxBytes: 4)
    }
  }
}
