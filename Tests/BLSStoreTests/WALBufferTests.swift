import CSQLite
import Nostr
import Testing
import Threads

@testable import BLSStore

@Suite("The writer's log writes, gathered (walbuffer.h)")
struct WALBufferTests {
  /// (writes SQLite made to the log, writes that reached the file) on the writer.
  func counts(_ store: SQLiteEventStore) -> (received: Int64, written: Int64)? {
    var counts: [sqlite3_int64] = [0, 0]
    guard bls_sqlite3_wal_buffer_counts(store.writerConnection.handle, &counts) == 1 else { return nil }
    return (counts[0], counts[1])
  }

  @Test("a batch's frames (a header and a page each) reach the log in a few writes, and read back after a reopen")
  func framesGathered() throws {
    let directory = TemporaryDirectory("walbuffer")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    let key = SecretKey.generate()
    let events = (0..<200).map { index in
      NostrEvent.signed(
        secretKey: key, createdAt: Int64(index), kind: 1,
        tags: [["t", "w\(index % 3)"], ["p", SecretKey.generate().publicKey.hex]],
        content: String(repeating: "x", count: 300) + "\(index)")
    }
    // The log may not be open yet (a new file): then nothing was written through it.
    let before = counts(store) ?? (0, 0)
    // Submitted together: a few batches of many frames each.
    let answers = BlockingQueue<Result<StoreOutcome, EventStoreError>>()
    for event in events { store.store(event) { _ = answers.push($0) } }
    for _ in events { #expect((try? answers.pop()?.get()) == .stored) }
    let after = try #require(counts(store))
    let received = after.received - before.received
    let written = after.written - before.written
    #expect(received >= 100, "SQLite wrote \(received) times")
    #expect(written * 4 <= received, "\(received) writes from SQLite reached the file in \(written)")
    store.close()
    let reopened = try SQLiteEventStore(dataDirectory: directory.path)
    defer { reopened.close() }
    #expect(try reopened.query([NostrFilter(authors: [key.publicKey.hex])]).count == 200)
    #expect(try reopened.integrityCheck() == ["ok"])
  }

  @Test("readers open the log through the default VFS; in memory there is no log")
  func onlyTheWriter() throws {
    let store = try SQLiteEventStore(dataDirectory: SQLiteEventStore.memoryDirectory)
    defer { store.close() }
    #expect(counts(store) == nil)
  }
}
