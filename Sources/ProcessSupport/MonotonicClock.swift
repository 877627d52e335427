import Glibc

/// `CLOCK_MONOTONIC`: time that never jumps with the wall clock, for deadlines, timeouts and
/// durations.
public enum MonotonicClock {
  /// Milliseconds since an arbitrary fixed point.
  public static func milliseconds() -> Int64 {
    let now = self.now()
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
  }

  /// Nanoseconds since an arbitrary fixed point.
  public static func nanoseconds() -> UInt64 {
    let now = self.now()
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
  }

  private static func now() -> timespec {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return now
  }
}
