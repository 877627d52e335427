import JSON

/// The body of `GET /pricing`: the price list, for senders that want to ask before they pay
/// (issue 12, item 4). Serialized once, at start; the configuration does not change.
///
/// `{"basePricePerByte":"10","kindOverrides":{"30023":"100"},"spspKind":23194,
/// "spspPriceCap":null,"maxEventBytes":65536,"ownerEventsFree":false,"note":"…"}` — prices
/// as decimal strings (they may exceed 2^53). `kindOverrides` holds kinds and kind ranges as
/// `BLS_KIND_OVERRIDES` gives them (`"5000-5999"`), by their first kind, a kind before a range
/// starting at it. Nothing secret: not even the owner's public key, only whether owner events
/// are free.
enum PricingDocument {
  static func body(_ configuration: BLSConfiguration) -> [UInt8] {
    let pricing = configuration.pricing
    let overrides = pricing.overrideEntries.map { (key: $0.key, value: JSONValue.string(String($0.pricePerByte))) }
    let document: JSONValue = [
      "basePricePerByte": .string(String(pricing.basePricePerByte)),
      "kindOverrides": .object(JSONObject(overrides)),
      "spspKind": .number(JSONNumber(Int64(PricingPolicy.spspRequestKind))),
      "spspPriceCap": pricing.spspMinPrice.map { .string(String($0)) } ?? .null,
      "maxEventBytes": .number(JSONNumber(Int64(configuration.maxEventBytes))),
      "ownerEventsFree": .bool(pricing.ownerPubkey != nil),
      "note": .string(
        "price = bytes × price per byte of the event's kind (its own override, else its range's, else basePricePerByte); bytes = the decoded data (TOON); kind spspKind costs at most spspPriceCap; events over maxEventBytes are refused"
      ),
    ]
    return document.serializedBytes
  }
}
