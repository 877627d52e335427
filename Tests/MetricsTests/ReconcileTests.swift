import BLSApp
import BLSStore
import BLSTestSupport
import Foundation
import JSON
import Nostr
import Testing

/// Known traffic through the real application and SQLite store: every counter of the
/// `/metrics` page equals what was answered and what the table holds (issue 13).
@Suite struct ReconcileTests {
  @Test func metricsEqualTheAnswersAndTheRows() throws {
    let directory = try MetricsFixture.temporaryDirectory("reconcile")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = try SQLiteEventStore(dataDirectory: directory)
    defer { store.close() }
    let app = BLSApplication(configuration: try MetricsFixture.configuration(), store: store)
    app.metrics.register(store)

    let max = String(UInt64.max)
    let first = try MetricsFixture.event(content: "first")
    let newerProfile = try MetricsFixture.event(kind: 0, content: "{}", createdAt: 1_700_000_100)
    let olderProfile = try MetricsFixture.event(kind: 0, content: "{\"old\":1}", createdAt: 1_700_000_000)
    let later = MetricsFixture.timestamp(secondsFromNow: 60)
    // (request, expected HTTP status, expected code or "" for an accept)
    let traffic: [(HTTPRequest, Int, String)] = [
      (MetricsFixture.payment(first, amount: max), 200, ""),
      (MetricsFixture.payment(try MetricsFixture.event(content: "second"), amount: max), 200, ""),
      (MetricsFixture.payment(try MetricsFixture.event(content: "third"), amount: "1000000000"), 200, ""),
      (MetricsFixture.payment(first, amount: "5000000"), 200, ""),  // duplicate
      (MetricsFixture.payment(newerProfile, amount: "1000000"), 200, ""),
      (MetricsFixture.payment(olderProfile, amount: "1000000"), 200, ""),  // superseded
      (MetricsFixture.payment(try MetricsFixture.event(content: "cheap"), amount: "1"), 400, "F06"),
      (HTTPRequest(method: "POST", path: "/handle-payment", body: Array("{".utf8)), 400, "F00"),
      (
        MetricsFixture.packet(try MetricsFixture.event(content: "packet"), amount: "2000000", expiresAt: later), 200, ""
      ),
      (MetricsFixture.packet(try MetricsFixture.event(content: "bad"), amount: "abc", expiresAt: later), 200, "F03"),
      (
        MetricsFixture.packet(
          try MetricsFixture.event(content: "late"), amount: "9", expiresAt: "2020-01-01T00:00:00.000Z"),
        200, "R00"
      ),
      (MetricsFixture.packet(nil, amount: "7", expiresAt: later, transit: true), 200, ""),
      // Refused before an endpoint decides: not counted.
      (HTTPRequest(method: "GET", path: "/handle-payment"), 405, "F00"),
    ]
    for (request, status, code) in traffic {
      let response = app.handle(request)
      #expect(response.status == status)
      let json = try JSONValue.parse(response.body)
      #expect(json.objectValue?["code"]?.stringValue ?? "" == code)
    }

    let response = app.handle(MetricsFixture.metrics())
    #expect(response.status == 200)
    #expect(
      response.headers.contains { $0.name == "Content-Type" && $0.value == "text/plain; version=0.0.4; charset=utf-8" })
    let page = try #require(MetricsPage(String(decoding: response.body, as: UTF8.self)))

    #expect(page.requests("handle-payment", "") == 6)
    #expect(page.requests("handle-payment", "F06") == 1)
    #expect(page.requests("handle-payment", "F00") == 1)
    #expect(page.requests("handle-payment", "T00") == 0)
    #expect(page.requests("handle-packet", "") == 2)
    #expect(page.requests("handle-packet", "F03") == 1)
    #expect(page.requests("handle-packet", "R00") == 1)
    #expect(page.requests("handle-packet", "F00") == 0)
    let revenue = UInt128(UInt64.max) * 2 + 1_000_000_000 + 5_000_000 + 1_000_000 + 1_000_000 + 2_000_000
    #expect(page.integer("bls_amount_accepted_total") == revenue)

    let rows = try store.query([NostrFilter()]).count
    #expect(rows == 5)
    #expect(page.integer("bls_events_stored_total") == UInt128(rows))
    #expect(page.integer("bls_events_duplicate_total") == 1)
    #expect(page.integer("bls_events_superseded_total") == 1)
    #expect(page.integer("bls_events_dropped_total") == 0)
    #expect(page.integer("bls_commit_failures_total") == 0)
    // Every accept that stored something went through exactly one commit.
    #expect(page.integer("bls_commit_batch_size_sum") == 7)
    #expect(page.integer("bls_commit_batch_size_count") == page.integer("bls_commit_duration_seconds_count"))
    #expect(page.integer("bls_request_duration_seconds_count{endpoint=\"handle-payment\"}") == 8)
    #expect(page.integer("bls_request_duration_seconds_count{endpoint=\"handle-packet\"}") == 4)
    #expect(page.integer("bls_writer_queue_depth") == 0)
    #expect((page.integer("bls_wal_bytes") ?? 0) > 0)
    #expect(page.samples["bls_build_info{version=\"\(BLSApplication.version)\"}"] == "1")
    #expect(page.types["bls_commit_duration_seconds"] == "histogram")
  }

  @Test func anAbandonedPaymentIsDroppedAndCounted() throws {
    let directory = try MetricsFixture.temporaryDirectory("dropped")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = try SQLiteEventStore(dataDirectory: directory)
    defer { store.close() }
    let app = BLSApplication(configuration: try MetricsFixture.configuration(), store: store)
    app.metrics.register(store)
    var request = MetricsFixture.payment(try MetricsFixture.event(content: "nobody waits"), amount: "1000000")
    request.abandonment.abandon()
    #expect(app.handle(request).status == 500)
    let page = try #require(MetricsPage(String(decoding: app.handle(MetricsFixture.metrics()).body, as: UTF8.self)))
    #expect(page.integer("bls_events_dropped_total") == 1)
    #expect(page.requests("handle-payment", "T00") == 1)
    #expect(page.integer("bls_events_stored_total") == 0)
    #expect(try store.query([NostrFilter()]).isEmpty)
  }

  @Test func aStoreThatFailsCountsT00() throws {
    let app = BLSApplication(configuration: try MetricsFixture.configuration(), store: FullDiskStore())
    let event = try MetricsFixture.event(content: "lost")
    #expect(app.handle(MetricsFixture.payment(event, amount: "1000000")).status == 500)
    let later = MetricsFixture.timestamp(secondsFromNow: 60)
    #expect(app.handle(MetricsFixture.packet(event, amount: "1000000", expiresAt: later)).status == 200)
    #expect(app.requestMetrics.count(.payment, .internalError) == 1)
    #expect(app.requestMetrics.count(.packet, .internalError) == 1)
    #expect(app.requestMetrics.count(.payment, nil) == 0)
    #expect(app.requestMetrics.amountAccepted == 0)
  }
}

/// A store whose writes fail, as a full disk does.
final class FullDiskStore: EventStore {
  func store(_ event: NostrEvent, completion: @escaping StoreCompletion) {
    completion(.failure(EventStoreError(code: "disk_full", message: "database or disk is full")))
  }
  func event(id: String) throws(EventStoreError) -> NostrEvent? { nil }
  func query(_ filters: [NostrFilter]) throws(EventStoreError) -> [NostrEvent] { [] }
  var storageDescription: String { "full" }
}
