import Synchronization

/// A monotonic counter that many threads add to without a lock: one relaxed atomic add.
public final class Counter: Sendable {
  private let count = Atomic<UInt64>(0)

  public init() {}

  /// Adds `amount` (default 1).
  @inline(__always)
  public func add(_ amount: UInt64 = 1) {
    count.wrappingAdd(amount, ordering: .relaxed)
  }

  /// The current count.
  public var value: UInt64 { count.load(ordering: .relaxed) }
}
