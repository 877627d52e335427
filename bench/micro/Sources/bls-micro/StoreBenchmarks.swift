import BLSStore
import Glibc
import Nostr

/// An event store that stores nothing and answers at once: whole-request benchmarks then
/// time the application alone.
struct NullStore: EventStore {
  func store(_ event: NostrEvent, completion: @escaping StoreCompletion) { completion(.success(.stored)) }
  func event(id: String) throws(EventStoreError) -> NostrEvent? { nil }
  func query(_ filters: [NostrFilter]) throws(EventStoreError) -> [NostrEvent] { [] }
  var storageDescription: String { "null" }
}

/// `SQLiteEventStore.store` of distinct events, one caller or many at once (group commit):
/// on tmpfs (fsync costs nothing: the CPU cost of an event) and on the disk (`--store-dir`,
/// real fsync). Each reports ns per stored event and the mean batch.
struct StoreBenchmarks {
  let directory: String

  func run(_ harness: inout Harness) {
    let cases = [
      ("tmpfs", "/dev/shm", 1), ("tmpfs", "/dev/shm", 32), ("disk", directory, 1), ("disk", directory, 32),
    ].filter { place, _, callers in
      harness.filter.map { Self.name(place, callers).contains($0) } ?? true
    }
    guard !cases.isEmpty else { return }
    let pool = Fixture.unsignedEvents(harness.fixedIterations.map { $0 + 64 } ?? 400_000, salt: "bench-\(getpid())")
    var next = 0
    func take(_ count: Int) -> ArraySlice<NostrEvent> {
      if next + count > pool.count { next = 0 }  // wraps: later ones are duplicates
      defer { next += count }
      return pool[next..<(next + count)]
    }
    for (place, path, callers) in cases {
      let name = Self.name(place, callers)
      let file = "\(path)/bls-micro-\(getpid()).db"
      Self.remove(file)
      guard let store = try? SQLiteEventStore(databasePath: file) else {
        print("\(name): cannot open \(file)")
        continue
      }
      let saved = (harness.roundTime, harness.rounds)
      if place == "disk" { (harness.roundTime, harness.rounds) = (.milliseconds(500), 3) }
      let before = store.statistics
      harness.run(name, note: "") { n in
        let events = take(n)
        if callers == 1 {
          for event in events { blackHole(try! store.store(event)) }
        } else {
          let base = events.startIndex
          Self.onThreads(callers) { caller in
            var index = base + caller
            while index < events.endIndex {
              blackHole(try! store.store(events[index]))
              index += callers
            }
          }
        }
      }
      (harness.roundTime, harness.rounds) = saved
      let after = store.statistics
      let commits = after.commits - before.commits
      let mean = commits == 0 ? 0 : Double(after.events - before.events) / Double(commits)
      print(
        "    mean batch \((mean * 10).rounded() / 10) events, \(commits) commits, "
          + "\((after.meanCommitMilliseconds * 100).rounded() / 100) ms per commit")
      store.close()
      Self.remove(file)
    }
  }

  /// Runs `body(0..<count)` on `count` threads of its own (not a pool sized to the cores:
  /// callers of the store spend their time waiting for the commit) and waits for all.
  static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    final class Box: @unchecked Sendable {
      let body: @Sendable (Int) -> Void
      let index: Int
      init(_ body: @escaping @Sendable (Int) -> Void, _ index: Int) {
        self.body = body
        self.index = index
      }
    }
    var threads: [pthread_t] = []
    for index in 0..<count {
      var thread = pthread_t()
      let box = Unmanaged.passRetained(Box(body, index)).toOpaque()
      let created = pthread_create(
        &thread, nil,
        { raw in
          let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
          box.body(box.index)
          return nil
        }, box)
      precondition(created == 0, "pthread_create failed")
      threads.append(thread)
    }
    for thread in threads { pthread_join(thread, nil) }
  }

  static func name(_ place: String, _ callers: Int) -> String {
    "store \(place), \(callers) caller\(callers == 1 ? "" : "s")"
  }

  static func remove(_ file: String) {
    for suffix in ["", "-wal", "-shm"] { unlink(file + suffix) }
  }
}
