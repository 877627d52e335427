import Synchronization

/// A Prometheus histogram with fixed upper bounds, observed without a lock: one atomic add to
/// its bucket, one to the count and one to the sum.
///
/// Observations are integers in a unit of the caller's choice (nanoseconds, events);
/// ``Snapshot`` renders them divided by ``scale`` (1e9 for seconds from nanoseconds).
public final class Histogram: Sendable {
  /// Upper bounds, ascending, in the observation unit; `+Inf` is implicit.
  public let bounds: [UInt64]
  /// What one unit of an observation is worth in the rendered value.
  public let scale: UInt64
  private let buckets: [Counter]
  private let sum = Counter()

  public init(bounds: [UInt64], scale: UInt64 = 1) {
    self.bounds = bounds.sorted()
    self.scale = max(1, scale)
    buckets = (0...bounds.count).map { _ in Counter() }
  }

  /// Seconds buckets from 100 µs to 10 s, observed in nanoseconds.
  public static func seconds() -> Histogram {
    let millis: [UInt64] = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 100_000]
    return Histogram(bounds: millis.map { $0 * 100_000 }, scale: 1_000_000_000)
  }

  /// Records one observation.
  public func observe(_ value: UInt64) {
    var index = bounds.count
    for (i, bound) in bounds.enumerated() where value <= bound {
      index = i
      break
    }
    buckets[index].add()
    sum.add(value)
  }

  /// The counts now: per bucket (not cumulative; the last is above every bound), and the sum.
  public struct Snapshot: Sendable, Equatable {
    public var bounds: [UInt64]
    public var scale: UInt64
    public var counts: [UInt64]
    public var sum: UInt64

    public init(bounds: [UInt64], scale: UInt64 = 1, counts: [UInt64], sum: UInt64) {
      self.bounds = bounds
      self.scale = scale
      self.counts = counts
      self.sum = sum
    }

    /// Observations in total.
    public var count: UInt64 { counts.reduce(0, &+) }
  }

  public var snapshot: Snapshot {
    // The sum is read first: a concurrent observation may show in a bucket and not yet in the
    // sum, never the other way (each series stays monotonic).
    let total = sum.value
    return Snapshot(bounds: bounds, scale: scale, counts: buckets.map(\.value), sum: total)
  }
}
