import CLinux
import Glibc
import ProcessSupport

/// Accepting connections: one worker at a time drains the listen queue (the listener is
/// registered one-shot), then re-arms it.
extension FastCGIServer {
  /// Accepts every pending connection, then re-arms the listener. At the connection limit the
  /// oldest idle connection is closed to make room (a flood of idle connections cannot lock
  /// out a new one); with none idle, accepting pauses until one closes. Out of descriptors,
  /// it pauses for 100 ms.
  func acceptAll() {
    guard
      state.withLock({ state -> Bool in
        guard state.listenerOpen && !state.stopping else { return false }
        state.accepting = true
        return true
      })
    else { return }
    acceptPending()
  }

  /// The accept loop; the caller has set ``State/accepting``. Ends with the listener re-armed,
  /// paused, or — when stopping — closed: a stop first accepts what the kernel has already
  /// queued, so a web server's connection that completed its handshake is served, not reset.
  func acceptPending() {
    var rearm = true
    while true {
      // At the limit, make room only for a connection that is really waiting (a listening
      // socket polls readable then).
      let atLimit = state.withLock { $0.connections.count >= options.maxConnections }
      if atLimit && !Self.hasInput(listener.fd) { break }
      let (room, evicted) = state.withLock { state -> (Bool, FastCGIConnection?) in
        guard state.connections.count >= options.maxConnections else { return (true, nil) }
        guard let oldest = oldestIdle(in: state) else { return (false, nil) }
        oldest.hold = .worker
        remove(oldest, from: &state)
        return (true, oldest)
      }
      evicted?.close()
      guard room else {
        rearm = false
        break
      }
      var peer = sockaddr_storage()
      var peerLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
      let fd = withUnsafeMutablePointer(to: &peer) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listener.fd, $0, &peerLength) }
      }
      if fd < 0 {
        switch errno {
        case EAGAIN, EWOULDBLOCK: break
        case EINTR, ECONNABORTED, EPROTO, ECONNRESET: continue
        default:
          Log.info("accept failed: \(SystemError.errno.reason); pausing for 100 ms")
          state.withLock { $0.acceptPausedUntil = MonotonicClock.milliseconds() + 100 }
          rearm = false
        }
        break
      }
      guard isAllowed(peer) else {
        closeDescriptor(fd)
        continue
      }
      // Non-blocking: a worker reads what has arrived and never waits on a peer.
      _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
      var on: Int32 = 1
      setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
      state.withLock { state in
        defer { state.nextToken += 1 }
        let connection = FastCGIConnection(
          fd: fd, token: state.nextToken, limits: limits, now: MonotonicClock.milliseconds())
        connection.hold = .epoll
        state.connections[connection.token] = connection
        _ = bls_epoll_arm(epoll, EPOLL_CTL_ADD, fd, connection.token, 1, 0)
      }
    }
    let closeNow = state.withLock { state -> Bool in
      state.accepting = false
      if state.stopping {
        closeListener(&state)
        return true
      }
      state.listenerArmed = rearm
      return false
    }
    if !closeNow && rearm {
      _ = bls_epoll_watch_once(epoll, EPOLL_CTL_MOD, listener.fd, Self.listenerToken)
    }
  }

  /// The idle connection (no worker on it, nothing arriving, waiting or unwritten) that has
  /// been idle longest.
  private func oldestIdle(in state: borrowing State) -> FastCGIConnection? {
    var oldest: FastCGIConnection?
    for connection in state.connections.values where connection.hold == .epoll && connection.isIdle {
      if oldest == nil || connection.idleSince < oldest!.idleSince { oldest = connection }
    }
    return oldest
  }

  /// Re-arms a paused listener once below the connection limit and past any back-off.
  func resumeAcceptingIfPaused() {
    state.withLock { state in
      guard state.listenerOpen, !state.listenerArmed, !state.stopping, !state.accepting,
        state.connections.count < options.maxConnections, MonotonicClock.milliseconds() >= state.acceptPausedUntil
      else { return }
      state.listenerArmed = true
      _ = bls_epoll_watch_once(epoll, EPOLL_CTL_MOD, listener.fd, Self.listenerToken)
    }
  }

  /// Closes the listening socket (and removes its file); no worker is accepting.
  func closeListener(_ state: inout State) {
    guard state.listenerOpen else { return }
    state.listenerOpen = false
    _ = bls_epoll_forget(epoll, listener.fd)
    listener.close()
  }

  /// Whether a TCP peer is in ``FastCGIServerOptions/allowedTCPPeers`` (any peer when the
  /// list is empty; unix-socket peers always).
  func isAllowed(_ peer: sockaddr_storage) -> Bool {
    guard !options.allowedTCPPeers.isEmpty, Int32(peer.ss_family) == AF_INET else { return true }
    var peer = peer
    let address = withUnsafePointer(to: &peer) {
      $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
    }
    let allowed = options.allowedTCPPeers.contains { inet_addr($0) == address }
    if !allowed { Log.info("refused a TCP connection from an address not in FCGI_WEB_SERVER_ADDRS") }
    return allowed
  }
}
