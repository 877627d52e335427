import Synchronization

/// A 128-bit monotonic counter (sums of 64-bit amounts, e.g. revenue in an asset's smallest
/// unit) updated without a lock: one double-width compare-and-swap, so a reader never sees the
/// low half wrap before the high half carries.
public final class WideCounter: Sendable {
  private let halves = Atomic<WordPair>(WordPair(first: 0, second: 0))

  public init() {}

  /// Adds `amount`; wraps only past 2^128 (never, for sums of 64-bit amounts).
  public func add(_ amount: UInt64) {
    var current = halves.load(ordering: .relaxed)
    while true {
      let (low, carry) = UInt64(current.first).addingReportingOverflow(amount)
      let next = WordPair(first: UInt(low), second: current.second &+ (carry ? 1 : 0))
      let (exchanged, seen) = halves.compareExchange(expected: current, desired: next, ordering: .relaxed)
      if exchanged { return }
      current = seen
    }
  }

  /// The current sum.
  public var value: UInt128 {
    let pair = halves.load(ordering: .relaxed)
    return UInt128(pair.second) << 64 | UInt128(pair.first)
  }
}
