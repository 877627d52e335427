/// The Interledger error codes BLS answers with (RFC-0027 § "ILP Error Codes"), and the one
/// place where ``PaymentFailure``s become codes and HTTP statuses on /handle-payment.
/// /handle-packet's business codes are ``PacketRejectCode``.
public enum ILPRejectCode: String, Sendable {
  /// F00 Bad Request.
  case badRequest = "F00"
  /// F03 Invalid Amount.
  case invalidAmount = "F03"
  /// F06 Unexpected Payment (the amount does not pay for the event).
  case unexpectedPayment = "F06"
  /// T00 Internal Error (retryable).
  case internalError = "T00"
  /// R00 Transfer Timed Out.
  case transferTimedOut = "R00"

  /// The code for `failure` on /handle-payment: F06 for underpayment, T00 when the event
  /// could not be stored (or not in time), R00 for an expired packet, F00 for everything else
  /// — a malformed amount included, as the reference answers (F03 is /handle-packet's).
  public init(_ failure: PaymentFailure) {
    switch failure {
    case .insufficientAmount: self = .unexpectedPayment
    case .storageFailed, .timedOut: self = .internalError
    case .expired: self = .transferTimedOut
    default: self = .badRequest
    }
  }

  /// HTTP status of a /handle-payment reject: 500 for T codes, else 400.
  public var httpStatus: Int {
    self == .internalError ? 500 : 400
  }
}
