#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A group commit's pause before it commits a batch, so that events arriving meanwhile share
/// its transaction (`BLS_COMMIT_DELAY_US`; PostgreSQL's `commit_delay`, MySQL's
/// `binlog_group_commit_sync_delay`).
///
/// Each commit has costs that do not depend on its size: the B-tree pages every event of a
/// batch appends to (the events table, its time and author indexes, the tag index), the
/// `fdatasync`, the wake-ups. Under load the writer takes whatever waits the moment the last
/// commit ends — often two or three events — so those costs are shared by few. Pausing before
/// a batch that already holds ``minimumWaiting`` events (a sign of load; a lone event, as
/// under light load, is committed at once) lets the batch grow: in bench/run.sh's accept run,
/// 300 µs took the mean batch from about 4 to 10–11 events and the responder's CPU per accept
/// down by 3–22 % (BENCHMARKS.md, session 6). The pause adds at most its length to an
/// answer's latency.
public struct CommitDelay: Sendable, Equatable {
  /// The pause, in microseconds; `0` turns it off.
  public var microseconds: Int

  /// Events a batch must hold already for the pause to apply.
  public static let minimumWaiting = 2
  /// The default pause.
  public static let defaultMicroseconds = 300
  /// The values `BLS_COMMIT_DELAY_US` accepts.
  public static let range = 0...10_000

  public init(microseconds: Int = CommitDelay.defaultMicroseconds) {
    self.microseconds = max(0, microseconds)
  }

  /// No pause.
  public static let off = CommitDelay(microseconds: 0)

  /// `batch`, grown by what arrives during the pause when the pause applies to it: after the
  /// pause, `more(n)` takes up to `n` waiting items (`room` is the batch's limit).
  public func gather<Item>(_ batch: [Item], room: Int, more: (Int) -> [Item]) -> [Item] {
    guard microseconds > 0, batch.count >= Self.minimumWaiting, batch.count < room else { return batch }
    usleep(useconds_t(microseconds))
    return batch + more(room - batch.count)
  }
}
