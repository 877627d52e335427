import BLSApp
import BLSFastCGI
import BLSMetrics
import BLSPostgres
import BLSStore

/// Wires the adapters' figures into the application's `/metrics` page at start: the store's
/// (events, commits, queue; SQLite's WAL), the transport's connections, and the process's (/proc).
/// The page holds the server for the process's life (both live until exit).
enum ServeMetrics {
  /// Either store's writer families (the same names; PostgreSQL has no `bls_wal_bytes`).
  static func register(application: BLSApplication, store: OpenedStore, server: FastCGIServer) {
    switch store {
    case .sqlite(let sqlite): application.metrics.register(sqlite)
    case .postgres(let postgres): application.metrics.register(postgres)
    }
    application.metrics.register { page in
      page.single(
        "bls_connections", .gauge,
        help: "Web-server connections open to the responder (idle kept-alive ones included).",
        String(server.connectionCount))
    }
    application.metrics.register(ProcessMetrics())
  }
}
