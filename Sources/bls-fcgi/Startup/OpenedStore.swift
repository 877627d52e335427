import BLSPostgres
import BLSStore
import Nostr

/// The store `serve` opened: SQLite in `DATA_DIR` (the default) or PostgreSQL at
/// `DATABASE_URL`; what the server needs of either beyond ``Nostr/EventStore``.
enum OpenedStore {
  case sqlite(SQLiteEventStore)
  case postgres(PostgresEventStore)

  var eventStore: any EventStore {
    switch self {
    case .sqlite(let store): store
    case .postgres(let store): store
    }
  }

  /// Commits what is queued and closes every connection.
  func close() {
    switch self {
    case .sqlite(let store): store.close()
    case .postgres(let store): store.close()
    }
  }

  /// What ``close()`` did, for the last log line at stop.
  var closedLine: String {
    switch self {
    case .sqlite: "database checkpointed and closed"
    case .postgres: "PostgreSQL connections closed"
    }
  }

  /// The writer's figures, for the log at stop.
  var statisticsLine: String {
    switch self {
    case .sqlite(let store): "group commit: \(store.statistics)"
    case .postgres(let store): "group commit (PostgreSQL): \(store.statistics)"
    }
  }
}
