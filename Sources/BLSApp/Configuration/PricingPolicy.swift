/// How much an event costs (docs/contract.md, POST /handle-payment steps 5–6).
///
/// Prices are computed in 128 bits: per-byte prices are capped at ``maxPricePerByte`` (10^30)
/// and events at 2^20 bytes, so `bytes × price` can never overflow.
public struct PricingPolicy: Sendable, Equatable {
  /// Largest per-byte price a variable may set.
  public static let maxPricePerByte: UInt128 = 1_000_000_000_000_000_000_000_000_000_000

  /// `BLS_BASE_PRICE_PER_BYTE`: price per byte for kinds without an override. Default 10.
  public var basePricePerByte: UInt128
  /// `BLS_KIND_OVERRIDES`: per-kind price per byte.
  public var kindOverrides: [Int: UInt128]
  /// `OWNER_PUBKEY`: events signed by this key are stored free.
  public var ownerPubkey: String?
  /// `SPSP_MIN_PRICE`: cap on the price of kind-23194 (SPSP request) events.
  public var spspMinPrice: UInt128?

  public init(
    basePricePerByte: UInt128 = 10, kindOverrides: [Int: UInt128] = [:],
    ownerPubkey: String? = nil, spspMinPrice: UInt128? = nil
  ) {
    self.basePricePerByte = basePricePerByte
    self.kindOverrides = kindOverrides
    self.ownerPubkey = ownerPubkey
    self.spspMinPrice = spspMinPrice
  }

  /// Kind of SPSP request events (NIP-style ILP SPSP over Nostr), whose price may be capped.
  public static let spspRequestKind = 23194

  /// Price per byte for `kind`: its override if configured, else the base price.
  public func pricePerByte(kind: Int) -> UInt128 {
    kindOverrides[kind] ?? basePricePerByte
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
}
