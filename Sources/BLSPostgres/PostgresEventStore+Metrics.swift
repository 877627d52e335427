import BLSMetrics

extension PostgresEventStore: MetricsSource {
  /// Events queued for the writer, not yet in a batch.
  public var writerQueueDepth: Int { committer.queueDepth }

  /// The store's families of the `/metrics` page: the writer's, under the names the SQLite
  /// store uses (``BLSMetrics/WriterMetrics``), for this node's writer. There is no
  /// `bls_wal_bytes`: PostgreSQL's WAL is the server's, watched with its own tools.
  public func write(to page: inout MetricsText) {
    let figures = statistics
    committer.metrics.write(
      WriterMetrics.Figures(
        stored: figures.stored, duplicates: figures.duplicates, superseded: figures.superseded,
        dropped: figures.droppedBeforeCommit, failedCommits: figures.failedBatches, queueDepth: writerQueueDepth),
      to: &page)
  }
}
