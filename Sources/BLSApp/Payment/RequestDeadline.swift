/// The instant after which a request's event must not be stored (issue 12, item 1): the
/// earlier of the packet's `expiresAt` (/handle-packet only) and its arrival +
/// `BLS_REQUEST_TIMEOUT_MS`. All instants are Unix milliseconds of the application's clock,
/// the clock `expiresAt` is written in; the core never reads a clock itself.
///
/// Checked when the request is decided (``PaymentDecider/store(_:deadline:abandonment:clock:completion:)``) and
/// handed to the store (``EventStore/store(_:conditions:completion:)``), which checks it again
/// when its writer forms a batch. A request past it is not stored and is answered
/// ``PaymentFailure/expired(_:)`` when `expiresAt` has passed, else
/// ``PaymentFailure/timedOut(limitMillis:)``.
public struct RequestDeadline: Sendable, Equatable {
  /// The packet's `expiresAt`, Unix ms, when it has one.
  public var expiresAt: Int64?
  /// `expiresAt` as the request wrote it, for the reject's message.
  public var expiresAtText: String?
  /// When the request arrived, Unix ms.
  public var arrival: Int64
  /// `BLS_REQUEST_TIMEOUT_MS`.
  public var timeoutMillis: Int

  public init(arrival: Int64, timeoutMillis: Int, expiresAt: Int64? = nil, expiresAtText: String? = nil) {
    self.arrival = arrival
    self.timeoutMillis = timeoutMillis
    self.expiresAt = expiresAt
    self.expiresAtText = expiresAtText
  }

  /// arrival + timeout.
  public var timeoutAt: Int64 {
    arrival.addingReportingOverflow(Int64(timeoutMillis)).overflow ? .max : arrival + Int64(timeoutMillis)
  }

  /// The earlier of ``expiresAt`` and ``timeoutAt``: the last instant at which the event may
  /// still be stored. What a store compares its clock with when it forms a batch.
  public var millis: Int64 {
    min(expiresAt ?? .max, timeoutAt)
  }

  /// `nil` while the request is in time at `now`; otherwise why it is not: `expired` when
  /// `expiresAt` has passed, else `timedOut`. An instant passes once `now` is later than it.
  public func failure(at now: Int64) -> PaymentFailure? {
    if let expiresAt, now > expiresAt {
      return .expired("expiresAt \(expiresAtText ?? String(expiresAt)) is in the past")
    }
    if now > timeoutAt {
      return .timedOut(limitMillis: timeoutMillis)
    }
    return nil
  }
}
