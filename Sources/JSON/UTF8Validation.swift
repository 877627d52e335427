/// Length of the well-formed UTF-8 sequence starting at `index`, or `nil` when the bytes
/// there are ill-formed (Unicode 15 §3.9, Table 3-7: no overlongs, no surrogates, ≤ U+10FFFF).
public func utf8SequenceLength(_ bytes: [UInt8], at index: Int) -> Int? {
  bytes.withUnsafeBufferPointer { utf8SequenceLength($0, at: index) }
}

/// Length of the well-formed UTF-8 sequence starting at `index` of `bytes`, or `nil` when
/// the bytes there are ill-formed or truncated (Unicode 15 §3.9, Table 3-7).
/// `index` must be a valid index of `bytes`.
@inlinable
public func utf8SequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
  let count = bytes.count
  let b0 = bytes[index]
  @inline(__always) func cont(_ i: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
    index + i < count && bytes[index + i] >= low && bytes[index + i] <= high
  }
  switch b0 {
  case 0x00...0x7F: return 1
  case 0xC2...0xDF: return cont(1) ? 2 : nil
  case 0xE0: return cont(1, 0xA0, 0xBF) && cont(2) ? 3 : nil
  case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : nil
  case 0xED: return cont(1, 0x80, 0x9F) && cont(2) ? 3 : nil
  case 0xF0: return cont(1, 0x90, 0xBF) && cont(2) && cont(3) ? 4 : nil
  case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : nil
  case 0xF4: return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : nil
  default: return nil
  }
}

/// `true` when `bytes` is entirely well-formed UTF-8.
public func isWellFormedUTF8(_ bytes: [UInt8]) -> Bool {
  bytes.withUnsafeBufferPointer { buffer in
    var i = 0
    while i < buffer.count {
      if buffer[i] < 0x80 {
        i += 1
        continue
      }
      guard let n = utf8SequenceLength(buffer, at: i) else { return false }
      i += n
    }
    return true
  }
}
