import Nostr

/// Why a payment was not accepted: one case per rule of docs/contract.md § POST /handle-payment,
/// each with a stable ``code``. ``ILPRejectCode`` maps them to ILP codes, in one place.
public enum PaymentFailure: Error, Sendable, Equatable {
  /// Step 1: `amount`, `destination` or `data` absent, `null` or empty.
  case missingFields
  /// Step 1: the body is not JSON (reason from the parser).
  case malformedBody(String)
  /// Step 1: a field has the wrong JSON type (e.g. `data` is a number).
  case wrongFieldType(field: String, expected: String)
  /// Step 2: `data` is not standard base64.
  case invalidBase64
  /// Bound (**beyond**): decoded `data` larger than `BLS_MAX_EVENT_BYTES`.
  case eventTooLarge(bytes: Int, limit: Int)
  /// Step 3: not TOON, or not an event; the detail follows "Invalid TOON data: ".
  case invalidTOON(String)
  /// Step 4: the id is not the NIP-01 hash or the BIP-340 signature does not verify.
  case invalidSignature
  /// Step 4a (**beyond**, opt-in): `created_at` is further from now than
  /// `BLS_MAX_FUTURE_SECONDS` (`inFuture`) or `BLS_MAX_PAST_SECONDS` allow.
  case createdAtOutOfWindow(createdAt: Int64, limitSeconds: Int64, inFuture: Bool)
  /// Step 4a: the first NIP-40 `expiration` tag holds no Unix time in decimal digits.
  case invalidExpiration
  /// Step 4a: the event's NIP-40 `expiration` is at or before now (Unix seconds).
  case eventExpired(expiration: Int64, now: Int64)
  /// Step 4a: the event's author deleted it (NIP-09): its id, or its address up to its
  /// `created_at`, is named by a stored kind-5 event of the same pubkey.
  case deletedByAuthor
  /// Step 7: `amount` is not a uint64 in decimal digits; the detail says why when the
  /// reference would have been looser.
  case invalidAmount(detail: String?)
  /// Step 8: the amount does not cover the price.
  case insufficientAmount(PriceShortfall)
  /// Step 9: the event could not be stored durably.
  case storageFailed(EventStoreError)
  /// /handle-packet: `expiresAt` is in the past.
  case expired(String)
  /// /handle-packet: the request lacks a required field or has a malformed one.
  case invalidPacket(String)
  /// /handle-packet: SHA-256(SHA-256(data)) is not the request's `executionCondition`, so no
  /// fulfillment the connector computes (SHA-256(data)) could ever meet it.
  case conditionMismatch
  /// The request's deadline (arrival + `BLS_REQUEST_TIMEOUT_MS`) passed before its event was
  /// stored; nothing was stored.
  case timedOut(limitMillis: Int)

  /// Stable machine-readable code, for logs and tests.
  public var code: String {
    switch self {
    case .missingFields: "missing_fields"
    case .malformedBody: "malformed_body"
    case .wrongFieldType: "wrong_field_type"
    case .invalidBase64: "invalid_base64"
    case .eventTooLarge: "event_too_large"
    case .invalidTOON: "invalid_toon"
    case .invalidSignature: "invalid_signature"
    case .createdAtOutOfWindow: "created_at_out_of_window"
    case .invalidExpiration: "invalid_expiration"
    case .eventExpired: "event_expired"
    case .deletedByAuthor: "deleted_by_author"
    case .invalidAmount: "invalid_amount"
    case .insufficientAmount: "insufficient_amount"
    case .storageFailed: "storage_failed"
    case .expired: "expired"
    case .invalidPacket: "invalid_packet"
    case .conditionMismatch: "condition_mismatch"
    case .timedOut: "timed_out"
    }
  }

  /// The message sent to the client: the contract's wording, plus the rule where BLS is
  /// stricter than the reference. Never contains a secret.
  public var message: String {
    switch self {
    case .missingFields: "Missing required fields: amount, destination, data"
    case .malformedBody(let reason): "Invalid JSON body: \(reason)"
    case .wrongFieldType(let field, let expected): "Invalid field \(field): must be \(expected)"
    case .invalidBase64: "Invalid base64 encoding in data field"
    case .eventTooLarge(let bytes, let limit):
      "Invalid TOON data: event is \(bytes) bytes, more than the limit of \(limit) (BLS_MAX_EVENT_BYTES)"
    case .invalidTOON(let detail): "Invalid TOON data: \(detail)"
    case .invalidSignature: "Invalid event signature"
    case .createdAtOutOfWindow(let createdAt, let limit, true):
      "Invalid event created_at: \(createdAt) is more than \(limit) seconds in the future (BLS_MAX_FUTURE_SECONDS)"
    case .createdAtOutOfWindow(let createdAt, let limit, false):
      "Invalid event created_at: \(createdAt) is more than \(limit) seconds in the past (BLS_MAX_PAST_SECONDS)"
    case .invalidExpiration:
      "Invalid event expiration (NIP-40): the first expiration tag must hold Unix seconds in decimal digits"
    case .eventExpired(let expiration, let now):
      "Event expired (NIP-40): its expiration \(expiration) is at or before now (\(now)); not stored, not charged"
    case .deletedByAuthor: "Event deleted by its author (NIP-09); not stored, not charged"
    case .invalidAmount(let detail?): "Invalid amount format: \(detail)"
    case .invalidAmount(nil): "Invalid amount format"
    case .insufficientAmount: "Insufficient payment amount"
    case .storageFailed(let error): "Event could not be stored (\(error.code)); the payment was not accepted"
    case .expired(let detail): "Payment expired: \(detail)"
    case .invalidPacket(let detail): "Invalid request: \(detail)"
    case .conditionMismatch:
      "Invalid request: executionCondition is not SHA-256(SHA-256(data)); the packet cannot be fulfilled, nothing was stored"
    case .timedOut(let limit):
      "Timed out before storing: not stored within BLS_REQUEST_TIMEOUT_MS (\(limit) ms); the payment was not accepted"
    }
  }
}
