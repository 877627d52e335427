/// The families of an event store's writer on the `/metrics` page (issue 13; docs/operations.md
/// § GET /metrics), one definition for every store (SQLite and PostgreSQL), so the names and
/// their help are the same whichever stores the events.
///
/// The histograms are observed by the writer thread after each committed transaction; the
/// counts are the store's own figures, read when the page is rendered.
public struct WriterMetrics: Sendable {
  /// Seconds per committed transaction (BEGIN to durable COMMIT), observed in nanoseconds.
  public let commitDurations = Histogram.seconds()
  /// Events per committed transaction.
  public let batchSizes = Histogram(bounds: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024])

  public init() {}

  /// Records one committed transaction of `size` events that took `nanoseconds`.
  public func observeCommit(size: Int, nanoseconds: UInt64) {
    commitDurations.observe(nanoseconds)
    batchSizes.observe(UInt64(max(0, size)))
  }

  /// What the store reports beside the histograms.
  public struct Figures: Sendable {
    public var stored: Int
    public var duplicates: Int
    public var superseded: Int
    public var dropped: Int
    public var failedCommits: Int
    public var queueDepth: Int

    public init(stored: Int, duplicates: Int, superseded: Int, dropped: Int, failedCommits: Int, queueDepth: Int) {
      self.stored = stored
      self.duplicates = duplicates
      self.superseded = superseded
      self.dropped = dropped
      self.failedCommits = failedCommits
      self.queueDepth = queueDepth
    }
  }

  /// Appends the writer's families: what each committed event became, commit time and size,
  /// and the queue.
  public func write(_ figures: Figures, to page: inout MetricsText) {
    page.single(
      "bls_events_stored_total", .counter, help: "Events newly stored (rows added to events).",
      String(figures.stored))
    page.single(
      "bls_events_duplicate_total", .counter, help: "Events accepted whose id was already stored (nothing written).",
      String(figures.duplicates))
    page.single(
      "bls_events_superseded_total", .counter,
      help:
        "Events accepted but not stored: a newer replaceable or addressable one holds their address (NIP-01), or their author deleted them (NIP-09).",
      String(figures.superseded))
    page.single(
      "bls_events_dropped_total", .counter,
      help: "Events left out unstored when their batch formed: the request was past its deadline or abandoned.",
      String(figures.dropped))
    page.single(
      "bls_commit_failures_total", .counter,
      help:
        "Transactions that failed (disk full, I/O error, database unreachable); every event in them was answered T00.",
      String(figures.failedCommits))
    page.family(
      "bls_commit_duration_seconds", .histogram, help: "Time of each committed transaction, BEGIN to durable COMMIT.")
    page.histogram("bls_commit_duration_seconds", [], commitDurations.snapshot)
    page.family("bls_commit_batch_size", .histogram, help: "Events per committed transaction (group commit).")
    page.histogram("bls_commit_batch_size", [], batchSizes.snapshot)
    page.single(
      "bls_writer_queue_depth", .gauge, help: "Events waiting for the writer, not yet in a transaction.",
      String(figures.queueDepth))
  }
}
