import Glibc
import Nostr
import Synchronization
import Testing
import Threads

@testable import BLSPostgres

/// The database server restarting under load (issue 15, "Faults"), on a cluster of its own.
@Suite("PostgreSQL: server restart", .enabled(if: TestCluster.binariesPresent, TestCluster.skipReason))
struct PGRestartTests {
  @Test(
    "a restart under load: every acknowledged event is stored, /health-style availability drops and returns, reads and writes recover"
  )
  func restartUnderLoad() throws {
    let cluster = try #require(TestCluster.startPrivate())
    defer { cluster.destroy() }
    let store = try PostgresEventStore(url: cluster.createDatabase())
    defer { store.close() }
    #expect(try store.store(Events.make()) == .stored)
    _ = try store.query([NostrFilter(limit: 1)])  // leaves an idle read connection

    // Load: a thread storing events one after another until told to stop.
    let acknowledged = Mutex<[String]>([])
    let failures = Mutex<[String]>([])
    let stop = Mutex(false)
    let load = try PosixThread {
      while !stop.withLock({ $0 }) {
        let event = Events.make()
        do throws(EventStoreError) {
          _ = try store.store(event)
          acknowledged.withLock { $0.append(event.id) }
        } catch {
          failures.withLock { $0.append(error.code) }
          usleep(1000)
        }
      }
    }
    func waitFor(_ condition: () -> Bool) -> Bool {
      for _ in 0..<4000 where !condition() { usleep(5000) }
      return condition()
    }
    #expect(waitFor { acknowledged.withLock { $0.count } >= 20 })
    cluster.stopServer()
    #expect(waitFor { !store.isAvailable }, "the store never noticed the server was gone")
    let before = acknowledged.withLock { $0.count }
    cluster.startServer()
    #expect(waitFor { acknowledged.withLock { $0.count } >= before + 20 }, "stores never succeeded again")
    #expect(store.isAvailable)
    stop.withLock { $0 = true }
    load.join()

    #expect(!failures.withLock { $0 }.isEmpty)
    #expect(failures.withLock { $0 }.allSatisfy { $0 == "unavailable" }, "\(failures.withLock { Set($0) })")
    let ids = acknowledged.withLock { $0 }
    let stored = Set(try store.query([NostrFilter(ids: ids)]).map(\.id))
    #expect(stored == Set(ids), "an acknowledged event is missing")
  }

  @Test("an idle node notices the database going away and coming back (the probe), without a payment")
  func idleProbe() throws {
    let cluster = try #require(TestCluster.startPrivate())
    defer { cluster.destroy() }
    let store = try PostgresEventStore(
      url: cluster.createDatabase(), options: .init(probeIntervalMilliseconds: 100))
    defer { store.close() }
    func waitFor(_ condition: () -> Bool) -> Bool {
      for _ in 0..<4000 where !condition() { usleep(5000) }
      return condition()
    }
    #expect(store.isAvailable)
    cluster.stopServer()
    #expect(waitFor { !store.isAvailable }, "an idle store never noticed the server was gone")
    cluster.startServer()
    #expect(waitFor { store.isAvailable }, "the store never saw the server back")
    #expect(try store.store(Events.make()) == .stored)
  }
}
