/// What the NIP-40 expiration sweep has done since the store opened.
public struct SweepStatistics: Sendable, Equatable {
  /// Passes run (each one transaction, at most ``Schema/expirationSweepLimit`` events).
  public var passes: Int = 0
  /// Expired events deleted.
  public var deleted: Int = 0
  /// Passes that failed (disk full, I/O error) and were rolled back; the next pass retries.
  public var failures: Int = 0

  public init() {}
}
