import ExtrasBase64
import JSON

/// What an underpaid event would have cost, and what was paid: the detail of
/// ``PaymentFailure/insufficientAmount(_:)`` (docs/contract.md step 8).
public struct PriceShortfall: Sendable, Equatable {
  /// The price of the event: bytes × price per byte, SPSP cap applied.
  public var required: UInt128
  /// The amount paid.
  public var received: UInt64
  /// The event's kind.
  public var kind: Int
  /// The price per byte of that kind (before any SPSP cap).
  public var pricePerByte: UInt128
  /// The TOON bytes priced (the decoded `data`).
  public var bytes: Int

  public init(required: UInt128, received: UInt64, kind: Int, pricePerByte: UInt128, bytes: Int) {
    self.required = required
    self.received = received
    self.kind = kind
    self.pricePerByte = pricePerByte
    self.bytes = bytes
  }

  /// `{"required":"…","received":"…"}`: the reject's `metadata` on both endpoints.
  public var metadata: JSONValue {
    ["required": .string(String(required)), "received": .string(String(received))]
  }

  /// `{"required":"…","received":"…","kind":…,"pricePerByte":"…","bytes":…}`, compact JSON.
  ///
  /// At most ~160 bytes whatever the input (two 39-digit and one 20-digit decimal, a kind
  /// ≤ 65535 and a byte count ≤ 2^20), so far below the 32 KiB an ILP REJECT's data may hold
  /// (RFC-0027 § ILP Reject).
  public var quoteJSON: [UInt8] {
    JSONValue.object([
      "required": .string(String(required)),
      "received": .string(String(received)),
      "kind": .number(JSONNumber(Int64(kind))),
      "pricePerByte": .string(String(pricePerByte)),
      "bytes": .number(JSONNumber(Int64(bytes))),
    ]).serializedBytes
  }

  /// ``quoteJSON`` as standard, padded base64: the `data` of a /handle-packet underpayment
  /// reject, which the connector forwards to the sender in the ILP REJECT.
  public var quoteBase64: String {
    Base64.encodeToString(bytes: quoteJSON)
  }
}
