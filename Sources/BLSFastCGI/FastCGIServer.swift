import BLSApp
import CFastCGI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A FastCGI responder: accepts web-server connections on a ``FastCGIListener`` and answers
/// each request with a handler, on a pool of worker threads.
///
/// One poller thread (the caller of ``run()``) waits on the listening socket and on every idle
/// connection; a connection with a request to read goes to a worker, which parses it with
/// libfcgi (`FCGX_Accept_r`), reads the body (at most ``FastCGIServerOptions/maxBodyBytes``),
/// calls the handler, writes the CGI response and finishes the request (`FCGX_Finish_r`).
/// Connections the web server keeps open (`FCGI_KEEP_CONN`) go back to the poller, so any
/// number of them share the workers.
///
/// ``stop()`` (from any thread) drains: the listening socket closes, idle connections close,
/// requests already received are answered, then ``run()`` returns.
///
/// Signals: the server ignores SIGPIPE (a web server that hangs up mid-write must not kill the
/// process; libfcgi writes with `write(2)`, so there is no per-call `MSG_NOSIGNAL`). Which
/// signals stop it is the caller's policy; see `bls-fcgi serve`.
public final class FastCGIServer: @unchecked Sendable {
  /// Answers one request; called from many threads at once.
  public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

  private let listener: FastCGIListener
  private let options: FastCGIServerOptions
  private let handler: Handler
  private let payloadTooLarge: @Sendable (Int) -> HTTPResponse
  private let queue = BlockingQueue<FastCGIConnection>()
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private var stopping = false
  private var returned: [FastCGIConnection] = []
  private var openConnections = 0
  private let wakeRead: Int32
  private let wakeWrite: Int32

  /// - Parameters:
  ///   - payloadTooLarge: the answer to a body over the limit (given the limit).
  public init(
    listener: FastCGIListener, options: FastCGIServerOptions,
    payloadTooLarge: @escaping @Sendable (Int) -> HTTPResponse = BLSApplication.payloadTooLarge(limit:),
    handler: @escaping Handler
  ) throws(FastCGIError) {
    var pipeEnds: [Int32] = [-1, -1]
    guard pipe(&pipeEnds) == 0, Self.setFlags(pipeEnds[0], O_NONBLOCK), Self.setFlags(pipeEnds[1], O_NONBLOCK),
      fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC) == 0
    else {
      throw FastCGIError(code: "init", message: "cannot create the wake-up pipe: \(lastErrorText())")
    }
    signal(SIGPIPE, SIG_IGN)
    self.listener = listener
    self.options = options
    self.handler = handler
    self.payloadTooLarge = payloadTooLarge
    wakeRead = pipeEnds[0]
    wakeWrite = pipeEnds[1]
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    closeDescriptor(wakeRead)
    closeDescriptor(wakeWrite)
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// Serves until ``stop()``; returns when every received request is answered and every
  /// worker has finished. Closes the listener.
  public func run() throws(FastCGIError) {
    var workers: [PosixThread] = []
    for _ in 0..<options.workers {
      workers.append(try PosixThread { [self] in work() })
    }
    pollUntilStopped()
    drain()
    queue.close()
    for worker in workers { worker.join() }
  }

  /// Begins a graceful stop; safe from any thread (not from a signal handler).
  public func stop() {
    locked { stopping = true }
    wake()
  }

  /// Whether ``stop()`` was called.
  public var isStopping: Bool { locked { stopping } }

  // MARK: Workers

  private func work() {
    while let connection = queue.pop() {
      let open = connection.serveOne(
        maxBodyBytes: options.maxBodyBytes, handler: handler, payloadTooLarge: payloadTooLarge,
        closeAfter: { isStopping })
      if open {
        giveBack(connection)
      } else {
        connection.close()
        locked { openConnections -= 1 }
      }
    }
  }

  /// Returns a kept connection to the poller, or closes it when stopping.
  private func giveBack(_ connection: FastCGIConnection) {
    let accepted = locked { () -> Bool in
      if stopping {
        openConnections -= 1
        return false
      }
      returned.append(connection)
      return true
    }
    if accepted { wake() } else { connection.close() }
  }

  // MARK: Poller

  private func pollUntilStopped() {
    var idle: [FastCGIConnection] = []
    var acceptPausedUntil: Int64 = 0
    while true {
      let now = Self.monotonicMillis()
      let listening = now >= acceptPausedUntil && locked { openConnections } < options.maxConnections
      var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
      if listening { fds.append(pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)) }
      let firstIdle = fds.count
      for connection in idle { fds.append(pollfd(fd: connection.fd, events: Int16(POLLIN), revents: 0)) }
      let ready = poll(&fds, nfds_t(fds.count), 1000)
      if ready < 0 && errno != EINTR {
        Self.log("poll failed: \(lastErrorText())")
      }
      let after = Self.monotonicMillis()
      // Hand readable connections to the workers; keep the rest.
      var stillIdle: [FastCGIConnection] = []
      for (index, connection) in idle.enumerated() {
        if ready > 0 && fds[firstIdle + index].revents != 0 {
          queue.push(connection)
        } else {
          stillIdle.append(connection)
        }
      }
      idle = stillIdle
      if fds[0].revents != 0 { drainWakePipe() }
      let (stop, back) = locked { () -> (Bool, [FastCGIConnection]) in
        defer { returned.removeAll() }
        return (stopping, returned)
      }
      for connection in back {
        connection.idleSince = after
        idle.append(connection)
      }
      if stop {
        self.idle = idle
        return
      }
      if listening && ready > 0 && fds[1].revents != 0 {
        if !acceptAll(into: &idle, now: after) { acceptPausedUntil = after + 100 }
      }
      idle = closeExpired(idle, now: after)
    }
  }

  /// Connections still idle when the poller stopped, answered or closed by ``drain()``.
  private var idle: [FastCGIConnection] = []

  /// Accepts every pending connection. Returns false when out of descriptors (accepting is
  /// paused briefly rather than spinning).
  private func acceptAll(into idle: inout [FastCGIConnection], now: Int64) -> Bool {
    while locked({ openConnections }) < options.maxConnections {
      let fd = accept(listener.fd, nil, nil)
      if fd < 0 {
        switch errno {
        case EAGAIN, EWOULDBLOCK: return true
        case EINTR, ECONNABORTED, EPROTO, ECONNRESET: continue
        case EMFILE, ENFILE, ENOBUFS, ENOMEM:
          Self.log("accept failed: \(lastErrorText()); pausing for 100 ms")
          return false
        default:
          Self.log("accept failed: \(lastErrorText())")
          return false
        }
      }
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
      configure(fd)
      locked { openConnections += 1 }
      idle.append(FastCGIConnection(fd: fd, now: now))
    }
    return true
  }

  /// Bounds every read and write on `fd` by the I/O timeout, so a stalled web server cannot
  /// hold a worker; disables Nagle on TCP (responses are single writes).
  private func configure(_ fd: Int32) {
    var timeout = timeval(tv_sec: options.ioTimeoutSeconds, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var on: Int32 = 1
    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
  }

  /// Closes connections idle for too long: a new one that never sent a request after the I/O
  /// timeout, a kept one after the idle timeout.
  private func closeExpired(_ idle: [FastCGIConnection], now: Int64) -> [FastCGIConnection] {
    idle.filter { connection in
      let limit = connection.requestsServed == 0 ? options.ioTimeoutSeconds : options.idleTimeoutSeconds
      guard now - connection.idleSince > Int64(limit) * 1000 else { return true }
      connection.close()
      locked { openConnections -= 1 }
      return false
    }
  }

  /// After a stop: no more accepting; an idle connection that already carries a request is
  /// answered, the others are closed.
  private func drain() {
    listener.close()
    for connection in idle {
      var fd = pollfd(fd: connection.fd, events: Int16(POLLIN), revents: 0)
      if poll(&fd, 1, 0) > 0 && fd.revents & Int16(POLLIN) != 0 {
        queue.push(connection)
      } else {
        connection.close()
        locked { openConnections -= 1 }
      }
    }
    idle.removeAll()
  }

  // MARK: Helpers

  private func wake() {
    var byte: UInt8 = 1
    _ = write(wakeWrite, &byte, 1)
  }

  private func drainWakePipe() {
    var buffer = [UInt8](repeating: 0, count: 256)
    while read(wakeRead, &buffer, buffer.count) > 0 {}
  }

  private func locked<T>(_ body: () -> T) -> T {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return body()
  }

  /// Milliseconds on the monotonic clock.
  public static func monotonicMillis() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
  }

  static func setFlags(_ fd: Int32, _ flags: Int32) -> Bool {
    let current = fcntl(fd, F_GETFL)
    return current >= 0 && fcntl(fd, F_SETFL, current | flags) == 0
  }

  /// One line on standard error (written with a single `write(2)`, so lines from several
  /// threads never interleave).
  public static func log(_ message: String) {
    let line = Array("bls-fcgi: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
  }
}
