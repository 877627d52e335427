import BLSApp
import BLSFastCGI
import BLSMetrics
import BLSStore

/// Wires the adapters' figures into the application's `/metrics` page at start: the store's
/// (events, commits, queue, WAL), the transport's connections, and the process's (/proc).
/// The page holds the server for the process's life (both live until exit).
enum ServeMetrics {
  /// The PostgreSQL store exposes no writer figures yet: its page has the requests, the
  /// connections and the process.
  static func register(application: BLSApplication, store: OpenedStore, server: FastCGIServer) {
    if case .sqlite(let sqlite) = store { application.metrics.register(sqlite) }
    application.metrics.register { page in
      page.single(
        "bls_connections", .gauge,
        help: "Web-server connections open to the responder (idle kept-alive ones included).",
        String(server.connectionCount))
    }
    application.metrics.register(ProcessMetrics())
  }
}
