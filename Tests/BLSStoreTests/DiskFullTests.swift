import Foundation
import Nostr
import Testing

@testable import BLSStore

@Suite("Disk full: an error, nothing acknowledged lost, and recovery once space returns")
struct DiskFullTests {
  @Test(
    "a 2 MiB tmpfs as DATA_DIR fills up and is freed",
    .enabled(if: Mounts.permitted, "mounting a tmpfs is not permitted here (needs root with CAP_SYS_ADMIN)"))
  func diskFull() throws {
    let directory = TemporaryDirectory("full")
    defer { directory.remove() }
    #expect(Mounts.tmpfs(at: directory.path, size: "2m"))
    defer { Mounts.unmount(directory.path) }
    // Ballast that we delete later to give space back.
    let ballast = directory.path + "/ballast"
    #expect(FileManager.default.createFile(atPath: ballast, contents: Data(count: 512 * 1024)))

    let store = try SQLiteEventStore(dataDirectory: directory.path)
    defer { store.close() }
    var acknowledged: [NostrEvent] = []
    var errors: [EventStoreError] = []
    var consecutiveFailures = 0
    let bulky = String(repeating: "x", count: 16 * 1024)
    // Fill until three stores in a row fail. (A store right after a failure may still fit:
    // the rolled-back transaction's WAL space is reused.)
    for index in 0..<600 where consecutiveFailures < 3 {
      let event = Events.make(createdAt: Int64(index), tags: [["t", "full"]], content: bulky)
      do throws(EventStoreError) {
        _ = try store.store(event)
        acknowledged.append(event)
        consecutiveFailures = 0
      } catch {
        errors.append(error)
        consecutiveFailures += 1
      }
    }
    #expect(consecutiveFailures == 3, "the 2 MiB volume never filled")
    #expect(errors.allSatisfy { $0.code == "disk_full" }, "\(errors)")
    #expect(acknowledged.count > 10)
    #expect(store.statistics.failedBatches == errors.count)
    // Reads keep working while the disk is full.
    for event in acknowledged { #expect(try store.event(id: event.id) == event) }

    // Space returns: the same store works again without a restart.
    try FileManager.default.removeItem(atPath: ballast)
    let after = Events.make(createdAt: 10_000, content: "after the disk was freed")
    #expect(try store.store(after) == .stored)
    store.close()

    let reopened = try SQLiteEventStore(dataDirectory: directory.path)
    defer { reopened.close() }
    #expect(try reopened.integrityCheck() == ["ok"])
    let stored = Set(try reopened.query([NostrFilter()]).map(\.id))
    #expect(acknowledged.allSatisfy { stored.contains($0.id) })
    #expect(stored.contains(after.id))
    print("disk full after \(acknowledged.count) events: \(errors.first.map { "\($0)" } ?? "")")
  }
}
