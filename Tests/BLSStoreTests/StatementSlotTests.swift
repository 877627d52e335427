import Nostr
import Testing

@testable import BLSStore

@Suite("The writer's kept statements (StatementSlot)")
struct StatementSlotTests {
  @Test(
    "after the connection's statement cache is emptied (300 filter shapes on a shared connection), the writer still stores"
  )
  func slotsSurviveCacheFlush() throws {
    // In memory, reads share the writer's connection and its cache of 256 statements.
    let store = try SQLiteEventStore(dataDirectory: SQLiteEventStore.memoryDirectory)
    defer { store.close() }
    let key = SecretKey.generate()
    let first = NostrEvent.signed(secretKey: key, createdAt: 1, kind: 1, tags: [["t", "a"]], content: "first")
    #expect(try store.store(first) == .stored)
    // 300 distinct SQL texts (an `ids` list of 1…300): the cache is emptied at least once.
    for count in 1...300 {
      let ids = [first.id] + (1..<count).map { String(repeating: "0", count: 63) + String($0 % 10) }
      #expect(try store.query([NostrFilter(ids: ids)]).map(\.id) == [first.id])
    }
    for index in 0..<3 {
      let event = NostrEvent.signed(
        secretKey: key, createdAt: 2 + Int64(index), kind: 1, tags: [["t", "b"]], content: "after \(index)")
      #expect(try store.store(event) == .stored)
      #expect(try store.store(event) == .duplicate)
    }
    let replaceable = NostrEvent.signed(secretKey: key, createdAt: 9, kind: 0, content: "{}")
    #expect(try store.store(replaceable) == .stored)
    #expect(try store.query([NostrFilter(tags: ["t": ["b"]])]).count == 3)
  }
}
