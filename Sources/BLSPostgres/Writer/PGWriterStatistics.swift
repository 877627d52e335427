import Nostr

/// What the PostgreSQL writer has done since the store opened.
public struct PGWriterStatistics: Sendable, Equatable, OutcomeCounting {
  /// Transactions committed.
  public var commits = 0
  /// Events whose transaction committed (stored, duplicate, superseded or refused alone).
  public var events = 0
  /// Of ``events``: newly stored rows, ids already stored, and events accepted but not
  /// stored (a newer version holds their address, NIP-01, or their author deleted them,
  /// NIP-09). Events that failed alone are in none.
  public var stored = 0
  public var duplicates = 0
  public var superseded = 0
  /// Batches whose transaction failed (connection lost, server error); their callers got an
  /// error.
  public var failedBatches = 0
  /// Events failed without a try because the database was unreachable.
  public var failedWhileUnavailable = 0
  /// Events dropped unstored when their batch formed (``Nostr/StoreConditions``).
  public var droppedBeforeCommit = 0
  /// Connections the writer opened again after losing one.
  public var reconnects = 0
  /// Events in the largest committed batch.
  public var maxBatch = 0
  /// NIP-40 sweep passes run (each one statement, at most ``PGSchema/expirationSweepLimit``
  /// events), expired events they deleted, and passes that failed (the next one retries).
  public var sweepPasses = 0
  public var sweepDeleted = 0
  public var sweepFailures = 0

  public init() {}
}

extension PGWriterStatistics: CustomStringConvertible {
  /// One log line.
  public var description: String {
    let mean = commits == 0 ? 0 : Double(events) / Double(commits)
    return
      "\(commits) commits, \(events) events (mean \(mean) per commit, max \(maxBatch); \(stored) stored, \(duplicates) duplicates, \(superseded) superseded), \(failedBatches) failed batches, \(failedWhileUnavailable) failed while unreachable, \(reconnects) reconnects, \(droppedBeforeCommit) dropped before commit, \(sweepDeleted) expired deleted in \(sweepPasses) sweeps"
  }
}
