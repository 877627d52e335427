import CLinux
import ProcessSupport
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Accepting connections: one worker at a time drains the listen queue (the listener is
/// registered one-shot), then re-arms it.
extension FastCGIServer {
  /// Accepts every pending connection, then re-arms the listener; pauses accepting at the
  /// connection limit or when out of descriptors.
  func acceptAll() {
    guard
      locked({ () -> Bool in
        guard listenerOpen && !stopping else { return false }
        accepting = true
        return true
      })
    else { return }
    var rearm = true
    while true {
      if locked({ connections.count }) >= options.maxConnections {
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
          locked { acceptPausedUntil = MonotonicClock.milliseconds() + 100 }
          rearm = false
        }
        break
      }
      guard isAllowed(peer) else {
        closeDescriptor(fd)
        continue
      }
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
      configure(fd)
      let connection = locked { () -> FastCGIConnection in
        defer { nextToken += 1 }
        let connection = FastCGIConnection(fd: fd, token: nextToken, now: MonotonicClock.milliseconds())
        connections[connection.token] = connection
        return connection
      }
      _ = bls_epoll_watch_once(epoll, EPOLL_CTL_ADD, fd, connection.token)
    }
    let closeNow = locked { () -> Bool in
      accepting = false
      if stopping {
        closeListenerLocked()
        return true
      }
      listenerArmed = rearm
      return false
    }
    if !closeNow && rearm {
      _ = bls_epoll_watch_once(epoll, EPOLL_CTL_MOD, listener.fd, Self.listenerToken)
    }
  }

  /// Re-arms a paused listener once below the connection limit and past any back-off.
  func resumeAcceptingIfPaused() {
    let resume = locked { () -> Bool in
      guard listenerOpen, !listenerArmed, !stopping, !accepting,
        connections.count < options.maxConnections, MonotonicClock.milliseconds() >= acceptPausedUntil
      else { return false }
      listenerArmed = true
      return true
    }
    if resume { _ = bls_epoll_watch_once(epoll, EPOLL_CTL_MOD, listener.fd, Self.listenerToken) }
  }

  /// Closes the listening socket (and removes its file); caller holds the lock and no worker
  /// is accepting.
  func closeListenerLocked() {
    guard listenerOpen else { return }
    listenerOpen = false
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

  /// Bounds every read and write on `fd` by the I/O timeout, so a stalled web server cannot
  /// hold a worker; disables Nagle on TCP (responses are single writes).
  func configure(_ fd: Int32) {
    var timeout = timeval(tv_sec: options.ioTimeoutSeconds, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var on: Int32 = 1
    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
  }
}
