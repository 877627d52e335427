import Foundation
import Nostr
import Testing

@testable import BLSStore

/// Issue 14 item 5: the lifecycle step of the schema (``Schema/lifecycle``), from every earlier
/// version and from a reference-written file: expirations indexed, deletions already stored
/// indexed and applied.
@Suite("Migration: the lifecycle tables, from every earlier schema")
struct LifecycleMigrationTests {
  static let article = "30023:\(Events.alice):art"

  /// Events as another program (or an older BLS) left them: kind 5 was a plain event.
  struct Contents {
    let expiring = Events.make(createdAt: 1, tags: [["expiration", "1000"]])
    let farFuture = Events.make(createdAt: 2, tags: [["expiration", "9223372036854775807"]])
    let tooFar = Events.make(createdAt: 3, tags: [["expiration", "9223372036854775808"]])
    let malformed = Events.make(createdAt: 4, tags: [["expiration", "soon"]])
    let second = Events.make(createdAt: 5, tags: [["expiration", "7"], ["expiration", "8"]])
    let target = Events.make(createdAt: 10, content: "alice's, deleted")
    let bobs = Events.make(pubkey: Events.bob, createdAt: 11, content: "bob's, not alice's to delete")
    let oldArticle = Events.make(createdAt: 50, kind: 30023, tags: [["d", "art"]])
    let otherArticle = Events.make(createdAt: 51, kind: 30023, tags: [["d", "other"]])
    let deletion = Events.make(
      createdAt: 100, kind: 5,
      tags: [["e", Events.hex()], ["a", LifecycleMigrationTests.article], ["k", "1"]])
    let bobsDeletion = Events.make(
      pubkey: Events.bob, createdAt: 100, kind: 5, tags: [["a", "30023:\(Events.alice):other"]])
    var all: [NostrEvent] {
      var deletion = deletion
      deletion.tags[0] = ["e", target.id]
      deletion.tags.append(["e", bobs.id])
      return [
        expiring, farFuture, tooFar, malformed, second, target, bobs, oldArticle, otherArticle, deletion, bobsDeletion,
      ]
    }
  }

  /// A file at `version`: the reference's for 0, else the steps up to it, then the rows.
  static func writeFile(_ path: String, version: Int, _ events: [NostrEvent]) throws {
    if version == 0 { return try MigrationTests.writeReferenceFile(path, events) }
    try withRawDatabase(path) { db throws in
      for step in 0..<version { try db.execute(Schema.migrations[step]) }
      try db.execute("PRAGMA user_version = \(version)")
      let insert = try db.prepare(
        "INSERT INTO events (id, pubkey, kind, content, tags, created_at, sig, received_at) VALUES (?,?,?,?,?,?,?,?)")
      defer { insert.finalize() }
      for event in events {
        try insert.run([
          .text(event.id), .text(event.pubkey), .integer(Int64(event.kind)), .text(event.content),
          .text(EventRow.tagsJSON(event.tags)), .integer(event.createdAt), .text(event.sig), .integer(1),
        ])
      }
    }
  }

  @Test("from each earlier version", arguments: 0..<Int(Schema.currentVersion))
  func fromVersion(_ version: Int) throws {
    #expect(Schema.migrations.count == Int(Schema.currentVersion))
    let directory = TemporaryDirectory("lifecycle-\(version)")
    defer { directory.remove() }
    let contents = Contents()
    try Self.writeFile(directory.databasePath, version: version, contents.all)
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    #expect(store.openedSchemaVersion == Int64(version))
    #expect(store.migratedReferenceFile == (version == 0))
    let remaining = Set(try store.query([NostrFilter()]).map(\.id))
    store.close()
    let deletion = contents.all[9]
    // Alice's deletion removed her note and her article; Bob's event, Bob's deletion of
    // Alice's other article and everything else stay.
    #expect(
      remaining
        == Set(
          [
            contents.expiring, contents.farFuture, contents.tooFar, contents.malformed, contents.second, contents.bobs,
            contents.otherArticle, deletion, contents.bobsDeletion,
          ].map(\.id)))
    try withRawDatabase(directory.databasePath) { db throws in
      #expect(try db.integer("PRAGMA user_version") == Schema.currentVersion)
      let expirations = try db.texts("SELECT event_id || '=' || expires_at FROM event_expirations ORDER BY expires_at")
      #expect(
        expirations == [
          "\(contents.second.id)=7", "\(contents.expiring.id)=1000", "\(contents.farFuture.id)=9223372036854775807",
        ])
      let ids = try db.texts("SELECT event_id || ':' || pubkey || ':' || deletion_id FROM event_deletions ORDER BY 1")
      #expect(
        ids
          == [
            "\(contents.bobs.id):\(Events.alice):\(deletion.id)",
            "\(contents.target.id):\(Events.alice):\(deletion.id)",
          ].sorted())
      let addresses = try db.texts(
        "SELECT pubkey || ':' || kind || ':' || d || '@' || deleted_through FROM address_deletions")
      #expect(addresses == ["\(Events.alice):30023:art@100"])
      #expect(try db.texts("PRAGMA integrity_check") == ["ok"])
    }
    // Opening again changes nothing.
    let again = try SQLiteEventStore(dataDirectory: directory.path)
    #expect(again.openedSchemaVersion == Schema.currentVersion)
    #expect(Set(try again.query([NostrFilter()]).map(\.id)) == remaining)
    again.close()
  }

  @Test("a reference file with no lifecycle tags migrates with empty lifecycle tables")
  func plainReferenceFile() throws {
    let directory = TemporaryDirectory("lifecycle-plain")
    defer { directory.remove() }
    let events = [Events.make(), Events.make(kind: 0), Events.make(kind: 30023, tags: [["d", "x"]])]
    try MigrationTests.writeReferenceFile(directory.databasePath, events)
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    #expect(try store.query([NostrFilter()]).count == 3)
    store.close()
    try withRawDatabase(directory.databasePath) { db throws in
      for table in ["event_expirations", "event_deletions", "address_deletions"] {
        #expect(try db.integer("SELECT count(*) FROM \(table)") == 0, "\(table)")
      }
    }
  }

  @Test("rows another program adds while BLS is stopped are indexed, and their deletions applied, at open")
  func rowsAddedWhileStopped() throws {
    let directory = TemporaryDirectory("lifecycle-stopped")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    let target = Events.make(createdAt: 10)
    let article = Events.make(createdAt: 20, kind: 30023, tags: [["d", "art"]])
    _ = try store.store(target)
    _ = try store.store(article)
    store.close()
    let expiring = Events.make(createdAt: 30, tags: [["expiration", "1234"]])
    let deletion = Events.make(
      createdAt: 40, kind: 5, tags: [["e", target.id], ["a", "30023:\(Events.alice):art"]])
    try withRawDatabase(directory.databasePath) { db throws in
      let insert = try db.prepare(
        "INSERT INTO events (id, pubkey, kind, content, tags, created_at, sig, received_at) VALUES (?,?,?,?,?,?,?,?)")
      defer { insert.finalize() }
      for event in [expiring, deletion] {
        try insert.run([
          .text(event.id), .text(event.pubkey), .integer(Int64(event.kind)), .text(event.content),
          .text(EventRow.tagsJSON(event.tags)), .integer(event.createdAt), .text(event.sig), .integer(1),
        ])
      }
    }
    let reopened = try SQLiteEventStore(dataDirectory: directory.path)
    defer { reopened.close() }
    #expect(reopened.reindexedEvents == 2)
    #expect(Set(try reopened.query([NostrFilter()]).map(\.id)) == [expiring.id, deletion.id])
    #expect(try reopened.isDeleted(target))
    #expect(try reopened.isDeleted(article))
    #expect(try reopened.store(target) == .superseded)
    try withRawDatabase(directory.databasePath) { db throws in
      #expect(try db.integer("SELECT expires_at FROM event_expirations WHERE event_id = '\(expiring.id)'") == 1234)
    }
  }
}
