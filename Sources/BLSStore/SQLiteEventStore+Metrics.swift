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

  /// The store's families of the `/metrics` page (issue 13): what each committed event
  /// became, commit time and size, the writer's queue and the WAL's size.
  public func write(to page: inout MetricsText) {
    let figures = statistics
    page.single(
      "bls_events_stored_total", .counter, help: "Events newly stored (rows added to events).",
      String(figures.stored))
    page.single(
      "bls_events_duplicate_total", .counter, help: "Events accepted whose id was already stored (nothing written).",
      String(figures.duplicates))
    page.single(
      "bls_events_superseded_total", .counter,
      help: "Replaceable or addressable events accepted but not stored: a newer one holds their address (NIP-01).",
      String(figures.superseded))
    page.single(
      "bls_events_dropped_total", .counter,
      help: "Events left out unstored when their batch formed: the request was past its deadline or abandoned.",
      String(figures.droppedBeforeCommit))
    page.single(
      "bls_commit_failures_total", .counter,
      help: "Transactions that failed (disk full, I/O error); every event in them was answered T00.",
      String(figures.failedBatches))
    page.family(
      "bls_commit_duration_seconds", .histogram, help: "Time of each committed transaction, BEGIN to durable COMMIT.")
    page.histogram("bls_commit_duration_seconds", [], committer.commitDurations.snapshot)
    page.family("bls_commit_batch_size", .histogram, help: "Events per committed transaction (group commit).")
    page.histogram("bls_commit_batch_size", [], committer.batchSizes.snapshot)
    page.single(
      "bls_writer_queue_depth", .gauge, help: "Events waiting for the writer, not yet in a transaction.",
      String(writerQueueDepth))
    page.single(
      "bls_wal_bytes", .gauge, help: "Size of the write-ahead log file (events.db-wal) in bytes.", String(walBytes))
  }
}
