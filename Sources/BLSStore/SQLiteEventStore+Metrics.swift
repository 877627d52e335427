import BLSMetrics
import Glibc

extension SQLiteEventStore: MetricsSource {
  /// Bytes of the write-ahead log (`events.db-wal`) now: 0 for a volatile store or a log
  /// that does not exist (after a clean close).
  public var walBytes: Int64 {
    guard let databasePath else { return 0 }
    var info = stat()
    guard stat(databasePath + "-wal", &info) == 0 else { return 0 }
    return Int64(info.st_size)
  }

  /// Events queued for the writer, not yet in a batch.
  public var writerQueueDepth: Int { committer.queueDepth }

  /// The store's families of the `/metrics` page (issue 13): the writer's (``BLSMetrics/WriterMetrics``)
  /// and the WAL's size.
  public func write(to page: inout MetricsText) {
    let figures = statistics
    committer.metrics.write(
      WriterMetrics.Figures(
        stored: figures.stored, duplicates: figures.duplicates, superseded: figures.superseded,
        dropped: figures.droppedBeforeCommit, failedCommits: figures.failedBatches, queueDepth: writerQueueDepth),
      to: &page)
    page.single(
      "bls_wal_bytes", .gauge, help: "Size of the write-ahead log file (events.db-wal) in bytes.", String(walBytes))
  }
}
