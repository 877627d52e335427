import CLinux
import ProcessSupport
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Idle connections: timeouts, and the drain after a stop.
extension FastCGIServer {
  /// Once a second (whichever worker comes by): closes connections idle too long — a new one
  /// that sent nothing within the I/O timeout, a kept one after the idle timeout — and
  /// resumes a paused listener.
  func sweepIfDue() {
    let now = MonotonicClock.milliseconds()
    guard now - lastSweep.load(ordering: .acquiring) >= 1000 else { return }
    let expired = locked { () -> [FastCGIConnection]? in
      guard now - lastSweep.load(ordering: .acquiring) >= 1000 else { return nil }
      lastSweep.store(now, ordering: .releasing)
      let expired = connections.values.filter { connection in
        let limit = connection.requestsServed == 0 ? options.ioTimeoutSeconds : options.idleTimeoutSeconds
        return connection.state == .idle && now - connection.idleSince > Int64(limit) * 1000
      }
      for connection in expired { connections[connection.token] = nil }
      return expired
    }
    guard let expired else { return }
    for connection in expired { discard(connection) }
    resumeAcceptingIfPaused()
  }

  /// After the workers stopped: answers a request still waiting on an idle connection, closes
  /// the rest.
  func drain() {
    let remaining = locked { () -> [FastCGIConnection] in
      defer { connections.removeAll() }
      closeListenerLocked()
      return Array(connections.values)
    }
    for connection in remaining {
      if Self.hasInput(connection.fd) {
        _ = connection.serveOne(
          maxBodyBytes: options.maxBodyBytes, handler: handler, reject: reject,
          closeAfter: { true })
      }
      discard(connection)
    }
  }

  /// Removes a connection from epoll and closes it.
  func discard(_ connection: FastCGIConnection) {
    if connection.fd >= 0 { _ = bls_epoll_forget(epoll, connection.fd) }
    connection.close()
  }
}
