/// The one place where ``PaymentFailure``s become Interledger error codes (RFC-0027 §
/// "ILP Error Codes") and HTTP statuses, for both dialects.
public enum ILPRejectCode: String, Sendable {
  /// F00 Bad Request.
  case badRequest = "F00"
  /// F06 Unexpected Payment (the amount does not pay for the event).
  case unexpectedPayment = "F06"
  /// T00 Internal Error (retryable).
  case internalError = "T00"
  /// R00 Transfer Timed Out.
  case transferTimedOut = "R00"

  /// The code for `failure` on /handle-payment.
  public init(_ failure: PaymentFailure) {
    switch failure {
    case .insufficientAmount: self = .unexpectedPayment
    case .storageFailed: self = .internalError
    case .expired: self = .transferTimedOut
    default: self = .badRequest
    }
  }

  /// HTTP status of a /handle-payment reject: 500 for T codes, else 400.
  public var httpStatus: Int {
    self == .internalError ? 500 : 400
  }

  /// The business code of the connector dialect (/handle-packet), which the `agent-runtime`
  /// connector maps back to ILP: `invalid_request`→F00, `unexpected_payment`→F06,
  /// `expired`→R00, `internal_error`→T00.
  ///
  /// Underpayment becomes `unexpected_payment` (F06), a final error, exactly as on
  /// /handle-payment: resending the same underpaid packet cannot succeed, so a retryable
  /// `insufficient_funds` (T04) would only make senders retry in vain.
  public var packetBusinessCode: String {
    switch self {
    case .badRequest: "invalid_request"
    case .unexpectedPayment: "unexpected_payment"
    case .internalError: "internal_error"
    case .transferTimedOut: "expired"
    }
  }
}
