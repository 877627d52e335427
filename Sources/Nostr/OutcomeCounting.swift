/// Statistics that count a writer's outcomes (SQLite's `BatchStatistics`, PostgreSQL's
/// `PGWriterStatistics`): each adds its own figures around these three.
public protocol OutcomeCounting {
  /// Newly stored rows, ids already stored, and events accepted but not stored (a newer
  /// version holds their address, NIP-01; or their author deleted them, NIP-09).
  var stored: Int { get set }
  var duplicates: Int { get set }
  var superseded: Int { get set }
}

extension OutcomeCounting {
  /// Counts the outcomes of one committed batch; events that failed alone count in none.
  public mutating func recordOutcomes(_ results: [Result<StoreOutcome, EventStoreError>]) {
    for case .success(let outcome) in results {
      switch outcome {
      case .stored: stored += 1
      case .duplicate: duplicates += 1
      case .superseded: superseded += 1
      }
    }
  }
}
