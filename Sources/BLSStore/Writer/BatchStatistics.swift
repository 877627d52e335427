import Nostr

/// How well group commit is working: how many events each durable commit carried.
public struct BatchStatistics: Sendable, Equatable, CustomStringConvertible, OutcomeCounting {
  /// Transactions committed (each one fsync of the WAL).
  public var commits: Int = 0
  /// Events whose transaction committed (stored, duplicate or superseded).
  public var events: Int = 0
  /// Of ``events``: newly stored rows, ids already stored, and replaceable or addressable
  /// events that lost to the stored one (NIP-01). Events that failed alone are in none.
  public var stored: Int = 0
  public var duplicates: Int = 0
  public var superseded: Int = 0
  /// Batches whose transaction failed (disk full, I/O error); their callers got an error.
  public var failedBatches: Int = 0
  /// Events dropped unstored when their batch formed: their request was abandoned or past its
  /// deadline (StoreConditions).
  public var droppedBeforeCommit: Int = 0
  /// Events in the largest committed batch.
  public var maxBatch: Int = 0
  /// `histogram[i]` counts committed batches of 2^i … 2^(i+1)−1 events.
  public var histogram: [Int] = []
  /// Time spent in committed transactions (BEGIN to durable COMMIT), nanoseconds.
  public var commitNanoseconds: UInt64 = 0
  /// Checkpoints run in the background, and tails of them copied by the writer so the log
  /// could restart (``Checkpointer``).
  public var checkpoints: Int = 0
  public var checkpointTails: Int = 0

  public init() {}

  /// Mean events per commit (0 before the first commit).
  public var meanBatch: Double { commits == 0 ? 0 : Double(events) / Double(commits) }

  /// Mean time per committed transaction, in milliseconds.
  public var meanCommitMilliseconds: Double {
    commits == 0 ? 0 : Double(commitNanoseconds) / Double(commits) / 1e6
  }

  mutating func recordCommit(size: Int, nanoseconds: UInt64) {
    commits += 1
    events += size
    maxBatch = max(maxBatch, size)
    commitNanoseconds &+= nanoseconds
    let bucket = Int.bitWidth - 1 - max(size, 1).leadingZeroBitCount
    if histogram.count <= bucket { histogram += Array(repeating: 0, count: bucket + 1 - histogram.count) }
    histogram[bucket] += 1
  }

  /// One line for logs: `commits=… events=… mean_batch=… max_batch=… mean_commit_ms=…
  /// failed_batches=… checkpoints=…+… histogram=1:…,2-3:…`.
  public var description: String {
    let buckets = histogram.enumerated().filter { $0.element > 0 }.map { index, count in
      let low = 1 << index
      let high = (1 << (index + 1)) - 1
      return low == high ? "\(low):\(count)" : "\(low)-\(high):\(count)"
    }
    let mean = (meanBatch * 100).rounded() / 100
    let commitTime = (meanCommitMilliseconds * 1000).rounded() / 1000
    return
      "commits=\(commits) events=\(events) stored=\(stored) duplicates=\(duplicates) superseded=\(superseded) mean_batch=\(mean) max_batch=\(maxBatch) mean_commit_ms=\(commitTime) failed_batches=\(failedBatches) checkpoints=\(checkpoints)+\(checkpointTails) histogram=\(buckets.joined(separator: ","))"
  }
}
