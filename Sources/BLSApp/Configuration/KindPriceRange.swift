/// An inclusive range of kinds sharing one per-byte price: a `BLS_KIND_OVERRIDES` key such as
/// `"5000-5999"` (docs/contract.md § Configuration). A kind's own key wins over a range.
public struct KindPriceRange: Sendable, Equatable {
  /// The kinds priced, both ends included, within 0–65535.
  public var kinds: ClosedRange<Int>
  /// Their price per byte.
  public var pricePerByte: UInt128

  public init(kinds: ClosedRange<Int>, pricePerByte: UInt128) {
    self.kinds = kinds
    self.pricePerByte = pricePerByte
  }

  /// The key as `GET /pricing` and the start-up log show it: `"5000-5999"`.
  public var key: String { "\(kinds.lowerBound)-\(kinds.upperBound)" }
}
