extension FastCGINameValuePairs {
  /// Appends one pair (§3.4): each length in one byte when under 128, else in four bytes with
  /// the high bit set. Lengths must be below 2^31 (checked with a precondition: the bytes come
  /// from this program).
  public static func append(name: some Collection<UInt8>, value: some Collection<UInt8>, to out: inout [UInt8]) {
    appendLength(name.count, to: &out)
    appendLength(value.count, to: &out)
    out.append(contentsOf: name)
    out.append(contentsOf: value)
  }

  static func appendLength(_ length: Int, to out: inout [UInt8]) {
    precondition(length >= 0 && length < 1 << 31, "name-value length out of range")
    if length < 128 {
      out.append(UInt8(length))
    } else {
      out.append(UInt8(truncatingIfNeeded: length >> 24) | 0x80)
      out.append(UInt8(truncatingIfNeeded: length >> 16))
      out.append(UInt8(truncatingIfNeeded: length >> 8))
      out.append(UInt8(truncatingIfNeeded: length))
    }
  }
}
