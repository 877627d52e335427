/// The name-value pairs of a request's `FCGI_PARAMS` stream (FastCGI spec §5.2), validated
/// once and kept as the bytes that arrived: iterating yields slices of them, nothing is copied.
public struct FastCGIParams: Sendable, Hashable, Sequence {
  /// The stream's bytes, a whole number of pairs (§3.4).
  public let bytes: [UInt8]

  /// Validates `bytes` as a complete stream of pairs of at most `maxBytes` bytes.
  ///
  /// - Throws: ``FastCGINameValueError`` when a pair is truncated or the stream is too large.
  public init(validating bytes: [UInt8], maxBytes: Int = FastCGILimits.defaultMaxParamsBytes)
    throws(FastCGINameValueError)
  {
    let checked = bytes.withUnsafeBytes { raw in
      Result { () throws(FastCGINameValueError) in
        try FastCGINameValuePairs.forEach(in: raw, maxBytes: maxBytes) { _, _ in }
      }
    }
    try checked.get()
    self.bytes = bytes
  }

  /// Wraps bytes the caller has already walked to the end as whole pairs.
  init(validated bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// The value of the first pair named `name`, if any.
  public subscript(name: some Collection<UInt8>) -> ArraySlice<UInt8>? {
    for pair in self where pair.name.elementsEqual(name) { return pair.value }
    return nil
  }

  /// The value of the first pair named `name` (compared as UTF-8), if any.
  public subscript(name: String) -> ArraySlice<UInt8>? {
    self[name.utf8]
  }

  public func makeIterator() -> Iterator {
    Iterator(bytes: bytes)
  }

  /// Yields each pair in stream order.
  public struct Iterator: IteratorProtocol {
    let bytes: [UInt8]
    var offset = 0

    public mutating func next() -> FastCGIParam? {
      guard offset < bytes.count else { return nil }
      let step = bytes.withUnsafeBytes { FastCGINameValuePairs.next(in: $0, at: offset) }
      guard case .pair(let name, let value) = step else { return nil }
      offset = value.upperBound
      return FastCGIParam(name: bytes[name], value: bytes[value])
    }
  }
}

/// One name-value pair: slices of ``FastCGIParams/bytes``.
public struct FastCGIParam: Sendable, Hashable {
  /// The name's bytes (for a CGI variable, ASCII such as `REQUEST_METHOD`).
  public let name: ArraySlice<UInt8>
  /// The value's bytes, any octets.
  public let value: ArraySlice<UInt8>
}
