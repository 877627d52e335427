/// How much an event costs (docs/contract.md, POST /handle-payment steps 5–6).
///
/// Prices are computed in 128 bits: per-byte prices are capped at ``maxPricePerByte`` (10^30)
/// and events at 2^20 bytes, so `bytes × price` can never overflow.
public struct PricingPolicy: Sendable, Equatable {
  /// Largest per-byte price a variable may set.
  public static let maxPricePerByte: UInt128 = 1_000_000_000_000_000_000_000_000_000_000

  /// `BLS_BASE_PRICE_PER_BYTE`: price per byte for kinds without an override. Default 10.
  public var basePricePerByte: UInt128
  /// `BLS_KIND_OVERRIDES`: per-kind price per byte (keys that name one kind).
  public var kindOverrides: [Int: UInt128]
  /// `BLS_KIND_OVERRIDES`: per-byte prices of kind ranges (keys such as `"5000-5999"`),
  /// disjoint, in ascending order. A kind in ``kindOverrides`` ignores them.
  public var kindRanges: [KindPriceRange]
  /// `OWNER_PUBKEY`: events signed by this key are stored free.
  public var ownerPubkey: String?
  /// `SPSP_MIN_PRICE`: cap on the price of kind-23194 (SPSP request) events.
  public var spspMinPrice: UInt128?

  public init(
    basePricePerByte: UInt128 = 10, kindOverrides: [Int: UInt128] = [:], kindRanges: [KindPriceRange] = [],
    ownerPubkey: String? = nil, spspMinPrice: UInt128? = nil
  ) {
    self.basePricePerByte = basePricePerByte
    self.kindOverrides = kindOverrides
    self.kindRanges = kindRanges
    self.ownerPubkey = ownerPubkey
    self.spspMinPrice = spspMinPrice
  }

  /// Kind of SPSP request events (NIP-style ILP SPSP over Nostr), whose price may be capped.
  public static let spspRequestKind = 23194

  /// Price per byte for `kind`: its own override if configured, else the override of the
  /// range that holds it, else the base price.
  public func pricePerByte(kind: Int) -> UInt128 {
    if let exact = kindOverrides[kind] { return exact }
    // The ranges are disjoint and sorted: a binary search for the last one starting at or
    // below `kind`.
    var low = 0
    var high = kindRanges.count
    while low < high {
      let middle = (low + high) / 2
      if kindRanges[middle].kinds.lowerBound <= kind { low = middle + 1 } else { high = middle }
    }
    if low > 0, kindRanges[low - 1].kinds.contains(kind) { return kindRanges[low - 1].pricePerByte }
    return basePricePerByte
  }

  /// The price of an event of `kind` whose TOON encoding is `byteCount` bytes (step 6):
  /// bytes × per-byte price, then capped at ``spspMinPrice`` for kind 23194.
  public func price(byteCount: Int, kind: Int) -> UInt128 {
    let (product, overflow) = UInt128(byteCount).multipliedReportingOverflow(by: pricePerByte(kind: kind))
    var price = overflow ? UInt128.max : product
    if kind == Self.spspRequestKind, let cap = spspMinPrice, cap < price {
      price = cap
    }
    return price
  }

  /// `true` when `pubkey` is the configured owner (step 5).
  public func isOwner(_ pubkey: String) -> Bool {
    ownerPubkey == pubkey
  }

  /// Every `BLS_KIND_OVERRIDES` entry as its key and price, kinds and ranges together in
  /// ascending order of their first kind (a kind before a range that starts at it): what
  /// `GET /pricing` and the start-up log show.
  public var overrideEntries: [(key: String, pricePerByte: UInt128)] {
    let kinds = kindOverrides.map { (first: $0.key, isRange: false, key: String($0.key), price: $0.value) }
    let ranges = kindRanges.map { (first: $0.kinds.lowerBound, isRange: true, key: $0.key, price: $0.pricePerByte) }
    return (kinds + ranges).sorted { ($0.first, $0.isRange ? 1 : 0) < ($1.first, $1.isRange ? 1 : 0) }.map {
      (key: $0.key, pricePerByte: $0.price)
    }
  }
}
