import BLSStore
import Glibc
import Nostr

// bls-store-bench: durable stores per second, group commit against one commit per event.
//
//   swift run -c release bls-store-bench [--dir DIR] [--writers 1,4,16,64] [--seconds 3]
//
// For each number of concurrent writer threads, runs the same workload twice on the same
// disk — once with group commit (maxBatchSize 1024) and once with one transaction (one WAL
// fsync) per event (maxBatchSize 1) — each against a fresh events.db in DIR, and prints
// stores/s and the batch sizes the writer achieved. Every counted store returned only after
// its transaction was durable (WAL, synchronous=FULL).

/// Writes `text` to standard error with one write(2).
func printError(_ text: String) {
  let bytes = Array(text.utf8)
  _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

struct Settings {
  var directory = "/var/tmp/bls-store-bench"
  var writers = [1, 4, 16, 64]
  var seconds = 3.0
}

func parseSettings() -> Settings {
  var settings = Settings()
  var arguments = CommandLine.arguments.dropFirst()
  while let flag = arguments.popFirst() {
    let value = arguments.popFirst() ?? ""
    switch flag {
    case "--dir": settings.directory = value
    case "--writers": settings.writers = value.split(separator: ",").compactMap { Int($0) }
    case "--seconds": settings.seconds = Double(value) ?? settings.seconds
    default:
      printError("usage: bls-store-bench [--dir DIR] [--writers 1,4,16,64] [--seconds 3]\n")
      exit(64)
    }
  }
  return settings
}

func now() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_MONOTONIC, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func randomHex(_ generator: inout SystemRandomNumberGenerator) -> String {
  Hex.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
}

/// One writer thread: store synthetic kind-1 events (about 300 bytes, 2 tags) until the
/// deadline; count the stores that returned.
final class Writer: @unchecked Sendable {
  let store: SQLiteEventStore
  let deadline: Double
  var stored = 0
  var failures = 0
  init(store: SQLiteEventStore, deadline: Double) {
    self.store = store
    self.deadline = deadline
  }

  func run() {
    var generator = SystemRandomNumberGenerator()
    let pubkey = randomHex(&generator)
    while now() < deadline {
      let event = NostrEvent(
        id: randomHex(&generator), pubkey: pubkey, createdAt: 1_700_000_000 + Int64(stored),
        kind: 1, tags: [["t", "bench"], ["p", pubkey]],
        content: "benchmark event \(stored) from a writer thread of bls-store-bench",
        sig: randomHex(&generator) + randomHex(&generator))
      do {
        _ = try store.store(event)
        stored += 1
      } catch {
        failures += 1
      }
    }
  }
}

struct Result {
  var storesPerSecond: Double
  var statistics: BatchStatistics
  var failures: Int
}

func run(writers: Int, maxBatch: Int, settings: Settings) -> Result {
  let directory = settings.directory
  for suffix in ["", "-wal", "-shm"] { unlink(directory + "/events.db" + suffix) }
  let store: SQLiteEventStore
  do {
    store = try SQLiteEventStore(
      dataDirectory: directory, options: .init(maxBatchSize: maxBatch))
  } catch {
    printError("\(error)\n")
    exit(1)
  }
  let start = now()
  let workers = (0..<writers).map { _ in Writer(store: store, deadline: start + settings.seconds) }
  var threads: [pthread_t] = []
  for worker in workers {
    var thread = pthread_t()
    pthread_create(
      &thread, nil,
      { raw in
        Unmanaged<Writer>.fromOpaque(raw!).takeUnretainedValue().run()
        return nil
      }, Unmanaged.passUnretained(worker).toOpaque())
    threads.append(thread)
  }
  for thread in threads { pthread_join(thread, nil) }
  let elapsed = now() - start
  let statistics = store.statistics
  store.close()
  let total = workers.reduce(0) { $0 + $1.stored }
  return Result(
    storesPerSecond: Double(total) / elapsed, statistics: statistics,
    failures: workers.reduce(0) { $0 + $1.failures })
}

func format(_ value: Double, _ decimals: Int) -> String {
  var scale = 1.0
  for _ in 0..<decimals { scale *= 10 }
  let rounded = (value * scale).rounded() / scale
  return decimals == 0 ? String(Int(rounded)) : String(rounded)
}

func pad(_ text: String, _ width: Int) -> String {
  text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}

let settings = parseSettings()
mkdir(settings.directory, 0o755)
print("bls-store-bench: \(settings.directory), \(format(settings.seconds, 1)) s per run, WAL + synchronous=FULL")
print(
  [
    pad("writers", 7), pad("mode", 18), pad("stores/s", 9), pad("commits", 8), pad("mean batch", 10),
    pad("max batch", 9), pad("ms/commit", 9), pad("speed-up", 8),
  ].joined(separator: " "))
for writers in settings.writers {
  let single = run(writers: writers, maxBatch: 1, settings: settings)
  let group = run(writers: writers, maxBatch: 1024, settings: settings)
  for (name, result) in [("commit-per-event", single), ("group-commit", group)] {
    let stats = result.statistics
    let speedUp = name == "group-commit" ? format(group.storesPerSecond / single.storesPerSecond, 1) + "x" : ""
    print(
      [
        pad(String(writers), 7), pad(name, 18), pad(format(result.storesPerSecond, 0), 9),
        pad(String(stats.commits), 8), pad(format(stats.meanBatch, 1), 10), pad(String(stats.maxBatch), 9),
        pad(format(stats.meanCommitMilliseconds, 2), 9), pad(speedUp, 8),
      ].joined(separator: " "))
    if result.failures > 0 { print("  \(result.failures) stores failed") }
  }
  print("  batch histogram (group commit): \(group.statistics)")
}
