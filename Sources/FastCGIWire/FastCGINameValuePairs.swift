/// Name-value pair decoding (FastCGI spec §3.4), the format of `FCGI_PARAMS` (§5.2) and of
/// `FCGI_GET_VALUES` / `FCGI_GET_VALUES_RESULT` (§4.1).
///
/// A pair is `nameLength`, `valueLength`, the name bytes, the value bytes. Each length is one
/// byte when its high bit is clear (0…127) or four bytes, big-endian, with the high bit of the
/// first set and masked off (0…2^31−1). Lengths are read into `Int` (64 bits), so adding two
/// of them to an offset cannot overflow; every length is checked against the bytes that
/// remain before anything is sliced.
public enum FastCGINameValuePairs {
  /// The outcome of reading one pair at an offset.
  public enum Step: Hashable, Sendable {
    /// A whole pair: the ranges of its name and value within the buffer; the next pair starts
    /// at `value.upperBound`.
    case pair(name: Range<Int>, value: Range<Int>)
    /// The buffer ends inside the pair. `declaredEnd` is the offset the pair would end at once
    /// both lengths are readable (`nil` while they are not), so a caller can refuse a pair
    /// that declares more than it will ever accept before its bytes arrive.
    case incomplete(declaredEnd: Int?)
  }

  /// Reads the pair that starts at `offset` (which must be at most `bytes.count`).
  public static func next(in bytes: UnsafeRawBufferPointer, at offset: Int) -> Step {
    guard let (nameLength, afterName) = length(in: bytes, at: offset),
      let (valueLength, start) = length(in: bytes, at: afterName)
    else { return .incomplete(declaredEnd: nil) }
    let nameEnd = start + nameLength
    let end = nameEnd + valueLength
    guard end <= bytes.count else { return .incomplete(declaredEnd: end) }
    return .pair(name: start..<nameEnd, value: nameEnd..<end)
  }

  /// Reads a one- or four-byte length at `offset` (§3.4), or `nil` if the buffer ends first.
  static func length(in bytes: UnsafeRawBufferPointer, at offset: Int) -> (Int, Int)? {
    guard offset < bytes.count else { return nil }
    let first = bytes[offset]
    if first & 0x80 == 0 { return (Int(first), offset + 1) }
    guard bytes.count - offset >= 4 else { return nil }
    let value =
      Int(first & 0x7F) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8
      | Int(bytes[offset + 3])
    return (value, offset + 4)
  }

  /// Walks a complete stream of pairs, calling `body` with each name and value range.
  ///
  /// - Throws: ``FastCGINameValueError/tooLarge(limit:)`` when the stream, or a pair's
  ///   declared end, exceeds `maxBytes`; ``FastCGINameValueError/truncated(offset:)`` when the
  ///   stream ends inside a pair.
  public static func forEach(
    in bytes: UnsafeRawBufferPointer, maxBytes: Int = Int.max,
    _ body: (_ name: Range<Int>, _ value: Range<Int>) -> Void
  ) throws(FastCGINameValueError) {
    guard bytes.count <= maxBytes else { throw .tooLarge(limit: maxBytes) }
    var offset = 0
    while offset < bytes.count {
      switch next(in: bytes, at: offset) {
      case .pair(let name, let value):
        body(name, value)
        offset = value.upperBound
      case .incomplete(let declaredEnd):
        if let declaredEnd, declaredEnd > maxBytes { throw .tooLarge(limit: maxBytes) }
        throw .truncated(offset: offset)
      }
    }
  }
}
