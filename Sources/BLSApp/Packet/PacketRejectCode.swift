/// The business codes of /handle-packet's `rejectReason.code`, which the `agent-runtime`
/// connector turns into ILP codes through its `REJECT_CODE_MAP` (`payment-handler.ts`):
/// `invalid_request`→F00, `invalid_amount`→F03, `unexpected_payment`→F06, `expired`→R00,
/// `internal_error`→T00 (any code it does not know becomes F99, so BLS sends only these).
public enum PacketRejectCode: String, Sendable {
  /// F00: the request or its event is malformed, badly signed, too large, or cannot be
  /// fulfilled (``PaymentFailure/conditionMismatch``).
  case invalidRequest = "invalid_request"
  /// F03: `amount` is not a uint64 in decimal digits.
  case invalidAmount = "invalid_amount"
  /// F06: the amount does not pay for the event.
  case unexpectedPayment = "unexpected_payment"
  /// R00: `expiresAt` passed before the event was stored.
  case expired = "expired"
  /// T00: the event could not be stored, or not within `BLS_REQUEST_TIMEOUT_MS`.
  case internalError = "internal_error"

  /// The code for `failure` on /handle-packet.
  ///
  /// - A malformed or out-of-range `amount` is `invalid_amount` (F03 Invalid Amount), where
  ///   /handle-payment keeps the reference's F00.
  /// - Underpayment is `unexpected_payment` (F06), a final error, exactly as on
  ///   /handle-payment: resending the same underpaid packet cannot succeed, so the retryable
  ///   `insufficient_funds` (T04) would only make senders retry in vain. The price travels in
  ///   the reject's `data` instead, so a sender can retry once with the right amount.
  /// - A storage failure, and a deadline of `BLS_REQUEST_TIMEOUT_MS` passed before storing,
  ///   are `internal_error` (T00, retryable); an `expiresAt` passed is `expired` (R00).
  public init(_ failure: PaymentFailure) {
    switch failure {
    case .invalidAmount: self = .invalidAmount
    case .insufficientAmount: self = .unexpectedPayment
    case .storageFailed, .timedOut: self = .internalError
    case .expired: self = .expired
    default: self = .invalidRequest
    }
  }

  /// The ILP code the connector sends for this code: its `REJECT_CODE_MAP` entry. It is also
  /// the reject's top-level `code`, so the two shapes of one answer always agree.
  public var ilpCode: ILPRejectCode {
    switch self {
    case .invalidRequest: .badRequest
    case .invalidAmount: .invalidAmount
    case .unexpectedPayment: .unexpectedPayment
    case .expired: .transferTimedOut
    case .internalError: .internalError
    }
  }
}
