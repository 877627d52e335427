import CLinux
import FastCGIWire
import Glibc
import HTTPCore
import ProcessSupport
import Synchronization
import Threads

/// A FastCGI responder (FastCGI spec §6.2): accepts web-server connections on a
/// ``FastCGIListener`` and answers each request with a handler, on a pool of worker threads
/// sharing one event loop.
///
/// The workers wait in one epoll instance holding the listening socket and every connection,
/// each armed one-shot, so exactly one worker wakes per ready connection. Sockets are
/// non-blocking: the worker reads what has arrived, feeds it to the connection's
/// ``FastCGIConnectionParser`` (the project's own bounded record layer) and re-arms the
/// connection. Only a request whose parameters and body have both arrived reaches the
/// handler, so a slow sender holds a buffer, never a thread. Answers are written without
/// blocking; what the socket does not take now is written when epoll says it can.
///
/// A handler may answer later (``DeferredHandler``; for BLS: a payment, answered once its
/// event is durable). The worker moves on at once; the answer, delivered from any thread,
/// joins a completion queue whose eventfd sits in the same epoll set, and the next free
/// worker writes it. While the answer is pending the connection stays armed: if the web
/// server goes away (end of stream, reset, `FCGI_ABORT_REQUEST`) the request's
/// ``RequestAbandonment`` is set, so the application can still drop the work.
///
/// Bounds (``FastCGIServerOptions``, ``FastCGILimits``): parameters ≤ 32 KiB (431), body ≤
/// the limit (413), a request must arrive whole within the I/O timeout (408), written output
/// must drain within it, idle kept connections close after the idle timeout, a lingering close
/// lasts at most ``lingerMilliseconds``, and at the connection limit the oldest idle
/// connection is closed to serve a new one at once.
///
/// ``stop()`` (from any thread) drains: the listening socket closes at once, idle connections
/// close, requests already arriving or answered later are answered (each connection then
/// closes), and ``run()`` returns when none is left.
///
/// Signals: the server ignores SIGPIPE (it writes with `MSG_NOSIGNAL` too). Which signals
/// stop it is the caller's policy; see `bls-fcgi serve`.
public final class FastCGIServer: @unchecked Sendable {
  /// Answers one request at once (returns it), or later (returns `nil`, then calls the
  /// responder exactly once, from any thread); called from many threads at once.
  public typealias DeferredHandler = @Sendable (HTTPRequest, @escaping HTTPResponder) -> HTTPResponse?

  static let wakeToken: UInt64 = 0
  static let listenerToken: UInt64 = 1
  static let completionToken: UInt64 = 2
  /// Unwritten output past which a connection is not read until its peer reads.
  static let outputHighWater = 65536
  /// The most bytes read from one connection per wake, so one busy peer cannot hold a worker.
  static let readBudget = 262_144
  /// The longest lingering close: after a final answer, how long unread input is drained
  /// before the socket is closed anyway.
  static let lingerMilliseconds: Int64 = 2000

  /// What the workers share, inside its lock.
  struct State: ~Copyable {
    var connections: [UInt64: FastCGIConnection] = [:]
    var nextToken: UInt64 = 3
    var completed: [(FastCGIConnection, HTTPResponse)] = []
    var stopping = false
    var listenerOpen = true
    var listenerArmed = true
    var accepting = false
    var acceptPausedUntil: Int64 = 0
  }

  let listener: FastCGIListener
  let options: FastCGIServerOptions
  let limits: FastCGILimits
  let handler: DeferredHandler
  let reject: TransportRejection.Responder
  let epoll: Int32
  private let wakeFD: Int32
  /// Readable when ``State/completed`` has responses to write (one-shot in epoll).
  let completionFD: Int32
  let state = Mutex(State())
  /// Deferred requests whose handler has not answered yet.
  let deferred = Atomic<Int>(0)
  /// True once ``stop()`` was called; read without the lock on every request.
  private let stopFlag = Atomic<Bool>(false)
  /// When connections were last swept for timeouts (monotonic ms).
  let lastSweep: Atomic<Int64>

  /// - Parameters:
  ///   - reject: the answer to a request the transport refuses by itself (a body or
  ///     parameters over the limit, a bad `CONTENT_LENGTH`, a request too slow to arrive);
  ///     the application chooses its shape.
  ///   - handler: answers each request, at once or later.
  public init(
    listener: FastCGIListener, options: FastCGIServerOptions,
    reject: @escaping TransportRejection.Responder,
    handler: @escaping DeferredHandler
  ) throws(FastCGIError) {
    let epoll = bls_epoll_create()
    let wakeFD = bls_eventfd()
    let completionFD = bls_eventfd()
    guard epoll >= 0, wakeFD >= 0, completionFD >= 0, bls_epoll_watch_always(epoll, wakeFD, Self.wakeToken) == 0,
      bls_epoll_watch_once(epoll, EPOLL_CTL_ADD, listener.fd, Self.listenerToken) == 0,
      bls_epoll_watch_once(epoll, EPOLL_CTL_ADD, completionFD, Self.completionToken) == 0
    else {
      throw FastCGIError(code: "init", message: "cannot set up epoll: \(SystemError.errno.reason)")
    }
    signal(SIGPIPE, SIG_IGN)
    self.listener = listener
    self.options = options
    self.limits = FastCGILimits(
      maxBodyBytes: options.maxBodyBytes, maxParamsBytes: options.maxParamsBytes,
      maxConnections: options.maxConnections, maxRequests: options.maxConnections)
    self.handler = handler
    self.reject = reject
    self.epoll = epoll
    self.wakeFD = wakeFD
    self.completionFD = completionFD
    lastSweep = Atomic(MonotonicClock.milliseconds())
  }

  deinit {
    closeDescriptor(epoll)
    closeDescriptor(wakeFD)
    closeDescriptor(completionFD)
  }

  /// Serves until ``stop()``; returns when every received request is answered and every
  /// worker has finished.
  public func run() throws(FastCGIError) {
    lastSweep.store(MonotonicClock.milliseconds(), ordering: .releasing)
    var workers: [PosixThread] = []
    for _ in 0..<options.workers {
      do {
        workers.append(try PosixThread { [self] in work() })
      } catch {
        stop()
        throw FastCGIError(code: "thread", message: "worker: \(error)")
      }
    }
    for worker in workers { worker.join() }
    closeRemaining()
  }

  /// Begins a graceful stop; safe from any thread (not from a signal handler). Closes the
  /// listening socket and every idle connection with no request arriving or waiting on it.
  public func stop() {
    let drainBacklog = state.withLock { state -> Bool? in
      guard !state.stopping else { return nil }
      state.stopping = true
      stopFlag.store(true, ordering: .releasing)
      guard !state.accepting && state.listenerOpen else { return false }
      state.accepting = true
      return true
    }
    guard let drainBacklog else { return }
    if drainBacklog { acceptPending() }
    let idle = state.withLock { state -> [FastCGIConnection] in
      let quiet = state.connections.values.filter {
        $0.hold == .epoll && $0.isIdle && !Self.hasInput($0.fd)
      }
      for connection in quiet { remove(connection, from: &state) }
      return quiet
    }
    for connection in idle { connection.close() }
  }

  /// Whether ``stop()`` was called.
  public var isStopping: Bool { stopFlag.load(ordering: .acquiring) }

  // MARK: Workers

  private func work() {
    var buffer = [UInt8](repeating: 0, count: 65536)
    var events: [FastCGIEvent] = []
    var token: UInt64 = 0
    var hangup: Int32 = 0
    while true {
      let ready = bls_epoll_wait_one(epoll, 250, &token, &hangup)
      if ready < 0 && errno != EINTR {
        Log.info("epoll_wait failed: \(SystemError.errno.reason)")
        return
      }
      if ready == 1 {
        switch token {
        case Self.wakeToken: return
        case Self.listenerToken: acceptAll()
        case Self.completionToken: writeCompleted()
        default: service(token, hangup: hangup != 0, buffer: &buffer, events: &events)
        }
      }
      sweepIfDue()
      if isStopping && isDrained {
        // Every worker sees the eventfd (level-triggered) and returns.
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
        return
      }
    }
  }

  /// After a stop: no connection left and no answer outstanding.
  private var isDrained: Bool {
    deferred.load(ordering: .acquiring) == 0 && state.withLock { $0.connections.isEmpty }
  }

  /// One turn on the connection `token`, if no other worker holds it (a sweep, a stop or an
  /// answer may have taken it since epoll reported it). `hangup`: epoll reported that the peer
  /// shut down its side (or the socket failed) with this event.
  private func service(_ token: UInt64, hangup: Bool, buffer: inout [UInt8], events: inout [FastCGIEvent]) {
    let claimed = state.withLock { state -> FastCGIConnection? in
      guard let connection = state.connections[token], connection.hold == .epoll else { return nil }
      connection.hold = .worker
      return connection
    }
    guard let connection = claimed else { return }
    var alive = connection.unwritten == 0 || connection.flush()
    if alive && connection.unwritten < Self.outputHighWater {
      alive = read(connection, untilEnd: hangup, buffer: &buffer, events: &events)
    }
    release(connection, alive: alive)
  }

  /// Ends a worker's turn on a connection: writes what it can, answers a deferred response
  /// that arrived meanwhile, then re-arms the connection for what it waits for, or closes it.
  func release(_ connection: FastCGIConnection, alive: Bool) {
    var alive = alive
    while true {
      if alive && connection.unwritten > 0 { alive = connection.flush() }
      if alive && connection.unwritten == 0 && connection.closeAfterOutput && connection.phase == .open {
        startLinger(connection)
      }
      enum Next {
        case answer(HTTPResponse)
        case closed
        case armed
      }
      let next = state.withLock { state -> Next in
        if let answer = connection.answer {
          connection.answer = nil
          return .answer(answer)
        }
        // Stopping, an idle connection closes — unless its next request has already arrived
        // (the peer sent it after our last answer, before the stop): closing with unread input
        // would reset the connection and lose that request, so a worker serves it first.
        if !alive || (state.stopping && connection.isIdle && !Self.hasInput(connection.fd)) {
          remove(connection, from: &state)
          return .closed
        }
        connection.hold = .epoll
        // Under the lock: once another thread may take the connection, its descriptor may be
        // closed and reused at any moment.
        _ = bls_epoll_arm(
          epoll, EPOLL_CTL_MOD, connection.fd, connection.token,
          connection.unwritten < Self.outputHighWater ? 1 : 0, connection.unwritten > 0 ? 1 : 0)
        return .armed
      }
      switch next {
      case .answer(let response):
        deliver(response, on: connection)
        continue
      case .closed:
        abandonPending(connection)
        connection.close()
        resumeAcceptingIfPaused()
      case .armed: break
      }
      return
    }
  }

  /// Removes a connection from the shared state and from epoll (the caller holds it, or it is
  /// being closed; the caller closes the socket).
  func remove(_ connection: FastCGIConnection, from state: inout State) {
    state.connections[connection.token] = nil
    if connection.fd >= 0 { _ = bls_epoll_forget(epoll, connection.fd) }
  }

  /// The web server is gone: a request still waiting on the application is abandoned.
  func abandonPending(_ connection: FastCGIConnection) {
    connection.pending?.abandonment.abandon()
    connection.pending = nil
  }

  /// Shuts the connection down for writing and drains the peer's input for at most
  /// ``lingerMilliseconds`` (so a final answer is not destroyed by a reset), then closes it.
  func startLinger(_ connection: FastCGIConnection) {
    _ = shutdown(connection.fd, Int32(SHUT_WR))
    connection.phase = .lingering(deadline: MonotonicClock.milliseconds() + Self.lingerMilliseconds)
  }

  // MARK: Helpers

  /// Whether `fd` has bytes (or an end of stream) to read right now.
  static func hasInput(_ fd: Int32) -> Bool {
    guard fd >= 0 else { return false }
    var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    return poll(&entry, 1, 0) > 0 && entry.revents != 0
  }

  /// After the workers have stopped: closes whatever is left.
  private func closeRemaining() {
    let remaining = state.withLock { state -> [FastCGIConnection] in
      defer { state.connections.removeAll() }
      closeListener(&state)
      return Array(state.connections.values)
    }
    for connection in remaining {
      abandonPending(connection)
      connection.close()
    }
  }
}
