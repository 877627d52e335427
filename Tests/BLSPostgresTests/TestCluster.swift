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

/// Synthetic, validly shaped events (the store does not check signatures).
enum Events {
  static func hex(_ byteCount: Int = 32) -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<byteCount).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }
      .joined()
  }

  static let alice = String(repeating: "a1", count: 32)
  static let bob = String(repeating: "b2", count: 32)

  static func make(
    id: String = hex(), pubkey: String = alice, createdAt: Int64 = 1_700_000_000, kind: Int = 1,
    tags: [[String]] = [], content: String = "hello"
  ) -> NostrEvent {
    NostrEvent(
      id: id, pubkey: pubkey, createdAt: createdAt, kind: kind, tags: tags, content: content, sig: hex(64))
  }

  /// An id that sorts before or after the others: `prefix` then random hex.
  static func id(prefix: String) -> String {
    prefix + String(hex().dropFirst(prefix.count))
  }
}
