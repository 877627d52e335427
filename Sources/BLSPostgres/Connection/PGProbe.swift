import Glibc
import Synchronization
import Threads

/// Watches whether the database server answers (`PQpingParams` every interval) on a thread of
/// its own, so a node whose writer is idle still notices a database that went away and
/// `/health` can answer 503 before the next payment fails.
final class PGProbe: @unchecked Sendable {
  private struct State {
    var reachable = true
    var closing = false
  }

  private let state = Mutex(State())
  private var thread: PosixThread?

  init(url: String, intervalMilliseconds: Int) {
    thread = PosixThread.essential { [unowned self] in
      while true {
        // Sleep in short steps so shutdown never waits a whole interval.
        var slept = 0
        while slept < intervalMilliseconds {
          if state.withLock({ $0.closing }) { return }
          usleep(50_000)
          slept += 50
        }
        let answered = PGConnection.ping(url: url, timeoutSeconds: 2)
        state.withLock { $0.reachable = answered }
      }
    }
  }

  /// `false` since the last ping found no server accepting connections.
  var reachable: Bool { state.withLock { $0.reachable } }

  func shutdown() {
    state.withLock { $0.closing = true }
    thread?.join()
    thread = nil
  }
}
