import Nostr
import Testing

@testable import BLSStore

@Suite("Indexes: every filter shape is answered from an index (EXPLAIN QUERY PLAN)")
struct QueryPlanTests {
  static let shapes: [(String, [NostrFilter], expected: String)] = [
    ("id", [NostrFilter(ids: [Events.hex()])], "SEARCH events USING INDEX sqlite_autoindex_events_1 (id=?)"),
    (
      "authors", [NostrFilter(authors: [Events.alice])],
      "SEARCH events USING INDEX events_pubkey_kind_created (pubkey=?)"
    ),
    (
      "authors+kinds", [NostrFilter(authors: [Events.alice], kinds: [0, 3])],
      "SEARCH events USING INDEX events_pubkey_kind_created (pubkey=? AND kind=?)"
    ),
    ("kinds", [NostrFilter(kinds: [1])], "SEARCH events USING INDEX events_kind_created (kind=?)"),
    (
      "kinds+since", [NostrFilter(kinds: [1], since: 5)],
      "SEARCH events USING INDEX events_kind_created (kind=? AND created_at>?)"
    ),
    ("#e", [NostrFilter(tags: ["e": [Events.hex()]])], "SEARCH event_tags USING PRIMARY KEY (name=? AND value=?)"),
    (
      "#p+kinds", [NostrFilter(kinds: [7], tags: ["p": [Events.bob]])],
      "SEARCH event_tags USING PRIMARY KEY (name=? AND value=?)"
    ),
    ("since", [NostrFilter(since: 10, limit: 10)], "SEARCH events USING INDEX idx_events_created_at (created_at>?)"),
    ("limit only", [NostrFilter(limit: 10)], "SCAN events USING INDEX idx_events_created_at"),
    (
      "two filters", [NostrFilter(ids: [Events.hex()]), NostrFilter(authors: [Events.bob], kinds: [1])],
      "SEARCH events USING INDEX events_pubkey_kind_created (pubkey=? AND kind=?)"
    ),
  ]

  @Test("uses the expected index", arguments: 0..<shapes.count)
  func usesIndex(index: Int) throws {
    let directory = TemporaryDirectory("plan")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    defer { store.close() }
    for index in 0..<200 {
      _ = try store.store(
        Events.make(
          pubkey: index % 2 == 0 ? Events.alice : Events.bob, createdAt: Int64(index), kind: index % 10,
          tags: [["e", Events.hex()], ["p", Events.bob]]))
    }
    let (name, filters, expected) = Self.shapes[index]
    let plan = try store.queryPlan(filters)
    print("EXPLAIN QUERY PLAN [\(name)]:\n  " + plan.joined(separator: "\n  "))
    #expect(plan.contains { $0.hasPrefix(expected) }, "\(name): \(plan)")
    // A bare "SCAN events" (no index) is a full table scan.
    #expect(!plan.contains("SCAN events"), "\(name): \(plan)")
    #expect(!plan.contains { $0.hasPrefix("SCAN event_tags") }, "\(name): \(plan)")
  }
}

@Suite("Indexes: the delete trigger finds an event's tag rows by primary key")
struct DeleteTriggerPlanTests {
  @Test("the trigger's DELETE of tag rows searches all four key columns, never a scan")
  func deleteUsesTheWholeKey() throws {
    let directory = TemporaryDirectory("plan-delete")
    defer { directory.remove() }
    try SQLiteEventStore(dataDirectory: directory.path).close()
    // The trigger's statement with OLD.* as literals (EXPLAIN does not show trigger programs).
    let body = Schema.deleteTrigger[Schema.deleteTrigger.range(of: "DELETE FROM event_tags")!.lowerBound...]
    let statement = String(body[..<body.range(of: ";")!.lowerBound])
      .replacingOccurrences(of: "OLD.tags", with: #"'[["t","a"],["p","b"]]'"#)
      .replacingOccurrences(of: "OLD.created_at", with: "5")
      .replacingOccurrences(of: "OLD.rowid", with: "7")
    #expect(!statement.contains("OLD."))
    let plan = try withRawDatabase(directory.databasePath) { db in
      let explain = try db.prepare("EXPLAIN QUERY PLAN " + statement)
      defer { explain.finalize() }
      var lines: [String] = []
      while try explain.step() { lines.append(explain.text(3)) }
      return lines
    }
    #expect(
      plan.contains("SEARCH event_tags USING PRIMARY KEY (name=? AND value=? AND created_at=? AND event_rowid=?)"),
      "\(plan)")
  }
}
