@_exported import BLSTestSupport
import Nostr
import Testing

@testable import BLSPostgres

/// The shared throw-away cluster (BLSTestSupport's ``PostgresCluster``), with a superuser
/// connection through the store's own libpq wrapper.
typealias TestCluster = PostgresCluster

extension PostgresCluster {
  /// Why the suites skip, shown beside each skipped test.
  static var skipReason: Comment { Comment(rawValue: unavailableReason) }

  /// Runs `body` on a superuser connection to `postgres` (or to `url`).
  func admin<T>(_ url: String? = nil, _ body: (PGConnection) throws(PGError) -> T) throws(PGError) -> T {
    let db = try PGConnection.connect(url: url ?? self.url(), applicationName: "bls-tests-admin")
    defer { db.close() }
    return try body(db)
  }
}

/// A store on a fresh database of the shared cluster.
func freshStore(options: PostgresEventStore.Options = .init()) throws -> (PostgresEventStore, String) {
  let url = TestCluster.shared!.createDatabase()
  return (try PostgresEventStore(url: url, options: options), url)
}
