/// How far an event's `created_at` may be from the time it arrives (docs/contract.md § POST
/// /handle-payment, step 4a): `BLS_MAX_FUTURE_SECONDS` and `BLS_MAX_PAST_SECONDS`, both unset
/// by default — the reference accepts any time, and so does BLS unless asked.
///
/// Relays apply the same kind of bound (strfry rejects events more than 15 minutes ahead;
/// NIP-22 describes the practice); BLS leaves the numbers to the operator.
public struct CreatedAtWindow: Sendable, Equatable {
  /// Largest value either variable may take: 100 years of 365 days, in seconds.
  public static let maxSeconds: Int64 = 3_153_600_000

  /// `BLS_MAX_FUTURE_SECONDS`: an event dated more than this many seconds after now is refused.
  public var maxFutureSeconds: Int64?
  /// `BLS_MAX_PAST_SECONDS`: an event dated more than this many seconds before now is refused.
  public var maxPastSeconds: Int64?

  public init(maxFutureSeconds: Int64? = nil, maxPastSeconds: Int64? = nil) {
    self.maxFutureSeconds = maxFutureSeconds
    self.maxPastSeconds = maxPastSeconds
  }

  /// `true` when either bound is set (only then is the clock read for it).
  public var isSet: Bool { maxFutureSeconds != nil || maxPastSeconds != nil }

  /// Why `createdAt` is outside the window at `now` (both Unix seconds), or `nil`.
  public func failure(createdAt: Int64, now: Int64) -> PaymentFailure? {
    // Both times are at least 0 (created_at is checked in step 3), so neither difference overflows.
    if let limit = maxFutureSeconds, createdAt > now, createdAt - now > limit {
      return .createdAtOutOfWindow(createdAt: createdAt, limitSeconds: limit, inFuture: true)
    }
    if let limit = maxPastSeconds, createdAt < now, now - createdAt > limit {
      return .createdAtOutOfWindow(createdAt: createdAt, limitSeconds: limit, inFuture: false)
    }
    return nil
  }
}
