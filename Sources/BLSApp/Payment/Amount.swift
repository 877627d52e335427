import JSON

/// The `amount` rule (docs/contract.md step 7, **beyond**): ASCII decimal digits only, no sign,
/// whitespace or `0x` prefix, at most 2^64−1 (ILP amounts are uint64). A JSON number is
/// accepted when it is such an integer written without fraction or exponent.
enum Amount {
  static func parse(_ value: JSONValue) throws(PaymentFailure) -> UInt64 {
    switch value {
    case .string(let text): return try parse(text)
    case .number(let number):
      guard number.isIntegerLiteral else { throw .invalidAmount(detail: "must be an integer") }
      return try parse(number.literal)
    default:
      throw .invalidAmount(detail: "must be a string of decimal digits")
    }
  }

  static func parse(_ text: String) throws(PaymentFailure) -> UInt64 {
    if let value = parseDecimal(text) {
      guard value <= UInt128(UInt64.max) else {
        throw .invalidAmount(detail: "exceeds the ILP maximum of 18446744073709551615 (uint64)")
      }
      return UInt64(value)
    }
    throw .invalidAmount(detail: looseFormDetail(text))
  }

  /// Why a form that JavaScript's `BigInt` (the reference) accepted is refused here; `nil`
  /// for text that the reference refused too, which keeps its exact message.
  static func looseFormDetail(_ text: String) -> String? {
    let bytes = Array(text.utf8)
    let isSpace: (UInt8) -> Bool = { $0 == 0x20 || (0x09...0x0D).contains($0) }
    let trimmed = bytes.drop(while: isSpace).reversed().drop(while: isSpace).reversed()
    if trimmed.count != bytes.count {
      if trimmed.isEmpty || referenceAccepts(Array(trimmed)) {
        return "whitespace is not allowed"
      }
      return nil
    }
    return referenceAccepts(bytes) ? detailForAcceptedForm(bytes) : nil
  }

  private static func referenceAccepts(_ bytes: [UInt8]) -> Bool {
    let digits = { (b: UInt8) in b >= 0x30 && b <= 0x39 }
    if !bytes.isEmpty, bytes.allSatisfy(digits) { return true }
    if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
      return bytes.count > 1 && bytes.dropFirst().allSatisfy(digits)
    }
    guard bytes.count > 2, bytes[0] == UInt8(ascii: "0") else { return false }
    let body = bytes.dropFirst(2)
    switch bytes[1] | 0x20 {
    case UInt8(ascii: "x"): return body.allSatisfy { digits($0) || (0x61...0x66).contains($0 | 0x20) }
    case UInt8(ascii: "o"): return body.allSatisfy { (0x30...0x37).contains($0) }
    case UInt8(ascii: "b"): return body.allSatisfy { $0 == 0x30 || $0 == 0x31 }
    default: return false
    }
  }

  private static func detailForAcceptedForm(_ bytes: [UInt8]) -> String {
    if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
      return "a sign is not allowed; use decimal digits only"
    }
    return "only decimal digits are allowed (no 0x, 0o or 0b prefix)"
  }
}
