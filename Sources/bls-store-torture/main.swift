import BLSStore
import Glibc
import Nostr
import Threads

// bls-store-torture: the child process of the crash test (Tests/BLSStoreTests/CrashTests).
//
//   bls-store-torture <data-dir> <threads> [<events-per-thread>]
//
// Opens the store in <data-dir>, and from <threads> threads stores synthetic kind-1 events
// (random ids; signatures do not matter to the store). The moment a store call returns
// `stored`, the thread writes the event id and a newline to stdout with one write(2), which a
// pipe delivers atomically. The parent kills this process with SIGKILL at a random moment and
// then checks that every id it read is in the database. Exits 2 on any store error.

/// Writes `text` to standard error with one write(2).
func printError(_ text: String) {
  let bytes = Array(text.utf8)
  _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

let arguments = CommandLine.arguments
guard arguments.count >= 3, let threads = Int(arguments[2]), threads > 0 else {
  printError("usage: bls-store-torture <data-dir> <threads> [<events-per-thread>]\n")
  exit(64)
}
let perThread = arguments.count > 3 ? Int(arguments[3]) ?? Int.max : Int.max

let store: SQLiteEventStore
do {
  store = try SQLiteEventStore(dataDirectory: arguments[1])
} catch {
  printError("\(error)\n")
  exit(1)
}

/// 64 random lowercase hex digits.
func randomHex(_ generator: inout SystemRandomNumberGenerator) -> String {
  Hex.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
}

/// One writing thread: stores `count` distinct events, printing each id once it is durable.
final class Worker: @unchecked Sendable {
  let store: SQLiteEventStore
  let index: Int
  let count: Int
  init(store: SQLiteEventStore, index: Int, count: Int) {
    self.store = store
    self.index = index
    self.count = count
  }

  func run() {
    var generator = SystemRandomNumberGenerator()
    let pubkey = randomHex(&generator)
    var stored = 0
    while stored < count {
      let id = randomHex(&generator)
      let event = NostrEvent(
        id: id, pubkey: pubkey, createdAt: 1_700_000_000 + Int64(stored), kind: 1,
        tags: [["t", "torture"], ["p", pubkey]], content: "thread \(index) event \(stored)",
        sig: randomHex(&generator) + randomHex(&generator))
      do {
        let outcome = try store.store(event)
        guard outcome == .stored else {
          printError("unexpected outcome \(outcome) for \(id)\n")
          exit(2)
        }
      } catch {
        printError("store failed: \(error)\n")
        exit(2)
      }
      let line = Array((id + "\n").utf8)
      _ = line.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
      stored += 1
    }
  }
}

func runWorkers(store: SQLiteEventStore, threads: Int, perThread: Int) {
  let workers = (0..<threads).map { index in
    let worker = Worker(store: store, index: index, count: perThread)
    return PosixThread.essential { worker.run() }
  }
  for worker in workers { worker.join() }
}

runWorkers(store: store, threads: threads, perThread: perThread)
store.close()
printError("\(store.statistics)\n")
