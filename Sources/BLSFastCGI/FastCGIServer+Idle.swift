import Glibc
import ProcessSupport

/// Timeouts: once a second, whichever worker comes by closes the connections that have
/// waited too long for something.
extension FastCGIServer {
  /// What a sweep does to a connection.
  private enum Expiry {
    /// Its request did not arrive whole in time: answer 408, then close.
    case requestTimeout(UInt16?)
    /// Close at once: idle too long, output not taken, lingering done.
    case close
  }

  /// Closes connections past their deadline (only those no worker holds):
  /// - a request still arriving after ``FastCGIServerOptions/ioTimeoutSeconds`` (answered 408
  ///   when its id is known);
  /// - output the peer has not taken within the I/O timeout;
  /// - a new connection silent for the I/O timeout, a kept one idle for the idle timeout;
  /// - a lingering close past its deadline.
  /// A request waiting on the application has no deadline here: the application has its own.
  func sweepIfDue() {
    let now = MonotonicClock.milliseconds()
    guard now - lastSweep.load(ordering: .acquiring) >= 1000 else { return }
    let io = Int64(options.ioTimeoutSeconds) * 1000
    let idle = Int64(options.idleTimeoutSeconds) * 1000
    let expired = state.withLock { state -> [(FastCGIConnection, Expiry)] in
      guard now - lastSweep.load(ordering: .acquiring) >= 1000 else { return [] }
      lastSweep.store(now, ordering: .releasing)
      var expired: [(FastCGIConnection, Expiry)] = []
      for connection in state.connections.values where connection.hold == .epoll {
        let expiry: Expiry?
        if case .lingering(let deadline) = connection.phase {
          expiry = now >= deadline ? .close : nil
        } else if connection.pending != nil {
          expiry = nil
        } else if connection.unwritten > 0 {
          expiry = now - connection.outputQueuedAt > io ? .close : nil
        } else if let started = connection.requestStartedAt {
          expiry = now - started > io ? .requestTimeout(connection.parser.activeRequestId) : nil
        } else {
          expiry = now - connection.idleSince > (connection.requestsServed == 0 ? io : idle) ? .close : nil
        }
        if let expiry {
          connection.hold = .worker
          remove(connection, from: &state)
          expired.append((connection, expiry))
        }
      }
      return expired
    }
    for (connection, expiry) in expired {
      if case .requestTimeout(let requestId?) = expiry {
        connection.enqueue(reject(.requestTimeout(seconds: options.ioTimeoutSeconds)), requestId: requestId, now: now)
        _ = connection.flush()
      }
      connection.close()
    }
    if !expired.isEmpty { resumeAcceptingIfPaused() }
  }
}
