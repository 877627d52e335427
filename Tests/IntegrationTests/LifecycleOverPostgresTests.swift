import BLSTestSupport
import Foundation
import Glibc
import JSON
import Nostr
import Testing

/// Issue 14's lifecycle over real HTTP with `DATABASE_URL` (issue 15): what
/// LifecycleOverHTTPTests checks with SQLite, with the rows read back by psql — and across two
/// nodes on one database.
@Suite(
  "event lifecycle over HTTP with DATABASE_URL", .serialized,
  .enabled(
    if: PostgresCluster.binariesPresent, Comment(rawValue: PostgresCluster.unavailableReason)))
struct LifecycleOverPostgresTests {
  typealias HTTP = LifecycleOverHTTPTests

  /// A node on `url` (a new database when `nil`), and the database's name.
  static func node(_ label: String, url: String? = nil, _ extra: [String: String] = [:]) throws -> (
    RunningStack, String
  ) {
    let cluster = try #require(PostgresCluster.shared)
    let url = url ?? cluster.createDatabase()
    var variables = PaymentCase.environment(profile: "defaults").merging(extra) { _, new in new }
    variables["DATABASE_URL"] = url
    return (try RunningStack(label, variables: variables), url)
  }

  static func storedIDs(_ url: String) -> Set<String> {
    Set(PostgresCluster.shared!.psql(String(url.split(separator: "/").last!), "SELECT id FROM events"))
  }

  static let deletedMessage = "Event deleted by its author (NIP-09); not stored, not charged"

  @Test("NIP-09: a kind 5 removes its author's e and a targets, only theirs; paying for one again is F00")
  func deletion() throws {
    let (stack, url) = try Self.node("pg-lifecycle-nip09")
    let connection = try stack.connect()
    let note = HTTP.signed(at: HTTP.now - 100)
    let article = HTTP.signed(kind: 30023, at: HTTP.now - 100, tags: [["d", "art"]])
    let bobsNote = HTTP.signed(HTTP.bob, at: HTTP.now - 100)
    for event in [note, article, bobsNote] { #expect(try HTTP.pay(connection, event).status == 200) }
    let deletion = HTTP.signed(
      kind: 5, at: HTTP.now - 50, tags: [["e", note.id], ["e", bobsNote.id], ["a", "30023:\(note.pubkey):art"]])
    #expect(try HTTP.pay(connection, deletion).status == 200)
    let stored = Self.storedIDs(url)
    #expect(!stored.contains(note.id))
    #expect(!stored.contains(article.id))
    #expect(stored.contains(bobsNote.id))
    #expect(stored.contains(deletion.id))
    for event in [note, article] {
      let again = try HTTP.pay(connection, event)
      #expect(again.status == 400)
      #expect(again.json?["code"] == "F00")
      #expect(again.json?["message"]?.stringValue == Self.deletedMessage)
    }
    #expect(!Self.storedIDs(url).contains(note.id))
    // The writer's figures are on the page in PostgreSQL mode too (no WAL size: the server's).
    let metrics = try #require(MetricsPage(try connection.request("GET", "/metrics").text))
    #expect(metrics.integer("bls_events_stored_total") == 4)
    #expect(metrics.integer("bls_commit_batch_size_sum") == 4)
    #expect(metrics.integer("bls_writer_queue_depth") == 0)
    #expect(metrics.samples["bls_wal_bytes"] == nil)
    // And the stop says what was closed.
    stack.process.signal(SIGTERM)
    #expect(stack.process.waitForExit(seconds: 10) == 0)
    #expect(stack.process.stderr.contains("stopped: requests answered, PostgreSQL connections closed"))
    #expect(!stack.process.stderr.contains("checkpointed"))
  }

  @Test("NIP-40: an expiring event is stored and gone after its time and a sweep")
  func expiration() throws {
    let (stack, url) = try Self.node("pg-lifecycle-nip40", ["BLS_EXPIRATION_SWEEP_SECONDS": "1"])
    let connection = try stack.connect()
    let expiring = HTTP.signed(tags: [["expiration", String(HTTP.now + 3)]])
    let kept = HTTP.signed(tags: [["expiration", String(HTTP.now + 3600)]])
    #expect(try HTTP.pay(connection, expiring).status == 200)
    #expect(try HTTP.pay(connection, kept).status == 200)
    #expect(Self.storedIDs(url).contains(expiring.id))
    // Waits for the sweep, not for a time: the bound only stops a broken sweep from hanging.
    let giveUp = Date().addingTimeInterval(60)
    while Self.storedIDs(url).contains(expiring.id), Date() < giveUp { usleep(100_000) }
    let stored = Self.storedIDs(url)
    #expect(!stored.contains(expiring.id))
    #expect(stored.contains(kept.id))
  }

  @Test("two nodes: a deletion paid for on node A blocks its target's payment on node B (F00, not stored)")
  func deletionAcrossNodes() throws {
    let (first, url) = try Self.node("pg-lifecycle-node-a")
    let (second, _) = try Self.node("pg-lifecycle-node-b", url: url)
    let target = HTTP.signed(at: HTTP.now - 100)
    let deletion = HTTP.signed(kind: 5, at: HTTP.now - 50, tags: [["e", target.id]])
    #expect(try HTTP.pay(first.connect(), deletion).status == 200)
    let refused = try HTTP.pay(second.connect(), target)
    #expect(refused.status == 400)
    #expect(refused.json?["code"] == "F00")
    #expect(refused.json?["message"]?.stringValue == Self.deletedMessage)
    #expect(!Self.storedIDs(url).contains(target.id))
  }
}
