import CLinux
import HTTPCore
import ProcessSupport
import Synchronization
import Threads
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A FastCGI responder: accepts web-server connections on a ``FastCGIListener`` and answers
/// each request with a handler, on a pool of worker threads.
///
/// The workers share one epoll instance holding the listening socket and every idle
/// connection, each registered one-shot, so exactly one worker wakes per readable connection:
/// it parses the request with libfcgi (`FCGX_Accept_r`), reads the body (at most
/// ``FastCGIServerOptions/maxBodyBytes``), calls the handler, writes the CGI response,
/// finishes the request (`FCGX_Finish_r`) and, when the web server keeps the connection
/// (`FCGI_KEEP_CONN`), re-arms it. No thread is tied to a connection.
///
/// A handler may answer later (``DeferredHandler``; for BLS: a payment, answered once its
/// event is durable). The worker then moves on at once; the response, delivered from any
/// thread, joins a completion queue whose eventfd sits in the same epoll set, and the next
/// free worker writes it. So the workers — as many as cores — run the CPU work (parsing,
/// signature checks) without context switches, while any number of payments wait on the
/// store's group commit without holding a thread.
///
/// ``stop()`` (from any thread) drains: the listening socket closes at once, idle connections
/// close, requests already received are answered (deferred ones included), then ``run()``
/// returns.
///
/// Signals: the server ignores SIGPIPE (a web server that hangs up mid-write must not kill the
/// process; libfcgi writes with `write(2)`, so there is no per-call `MSG_NOSIGNAL`). Which
/// signals stop it is the caller's policy; see `bls-fcgi serve`.
public final class FastCGIServer: @unchecked Sendable {
  /// Answers one request at once (returns it), or later (returns `nil`, then calls the
  /// responder exactly once, from any thread); called from many threads at once.
  public typealias DeferredHandler = @Sendable (HTTPRequest, @escaping HTTPResponder) -> HTTPResponse?

  static let wakeToken: UInt64 = 0
  static let listenerToken: UInt64 = 1
  static let completionToken: UInt64 = 2

  let listener: FastCGIListener
  let options: FastCGIServerOptions
  let handler: DeferredHandler
  let reject: TransportRejection.Responder
  let epoll: Int32
  private let wakeFD: Int32
  /// Readable when ``completed`` has responses to write (one-shot in epoll).
  let completionFD: Int32
  /// Deferred requests not yet answered.
  let deferred = Atomic<Int64>(0)
  let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  /// True once ``stop()`` was called; read without the lock on every request.
  private let stopFlag = Atomic<Bool>(false)
  /// When idle connections were last swept (monotonic ms).
  let lastSweep: Atomic<Int64>
  // Guarded by `mutex`:
  var connections: [UInt64: FastCGIConnection] = [:]
  var nextToken: UInt64 = 3
  var completed: [(FastCGIConnection, HTTPResponse)] = []
  var stopping = false
  var listenerOpen = true
  var listenerArmed = true
  var accepting = false
  var acceptPausedUntil: Int64 = 0

  /// - Parameters:
  ///   - reject: the answer to a request the transport refuses by itself (a body over the
  ///     limit, a bad `CONTENT_LENGTH`); the application chooses its shape.
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
    self.handler = handler
    self.reject = reject
    self.epoll = epoll
    self.wakeFD = wakeFD
    self.completionFD = completionFD
    pthread_mutex_init(mutex, nil)
    lastSweep = Atomic(MonotonicClock.milliseconds())
  }

  deinit {
    closeDescriptor(epoll)
    closeDescriptor(wakeFD)
    closeDescriptor(completionFD)
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
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
        throw FastCGIError(code: "thread", message: "worker: \(error)")
      }
    }
    for worker in workers { worker.join() }
    drain()
  }

  /// Begins a graceful stop; safe from any thread (not from a signal handler). Closes the
  /// listening socket and every idle connection with no request waiting on it.
  public func stop() {
    let idle = locked { () -> [FastCGIConnection] in
      guard !stopping else { return [] }
      stopping = true
      stopFlag.store(true, ordering: .releasing)
      if !accepting { closeListenerLocked() }
      let quiet = connections.values.filter { $0.state == .idle && !Self.hasInput($0.fd) }
      for connection in quiet { connections[connection.token] = nil }
      return quiet
    }
    for connection in idle { discard(connection) }
    var one: UInt64 = 1
    _ = write(wakeFD, &one, 8)
  }

  /// Whether ``stop()`` was called.
  public var isStopping: Bool { stopFlag.load(ordering: .acquiring) }

  // MARK: Workers

  private func work() {
    var token: UInt64 = 0
    while true {
      let ready = bls_epoll_wait_one(epoll, 1000, &token)
      if ready < 0 {
        if errno == EINTR { continue }
        Log.info("epoll_wait failed: \(SystemError.errno.reason)")
        finishDeferred()
        return
      }
      if ready == 1 {
        switch token {
        case Self.wakeToken:
          finishDeferred()
          return
        case Self.listenerToken: acceptAll()
        case Self.completionToken: writeCompleted()
        default: serve(token)
        }
      }
      sweepIfDue()
    }
  }

  /// Serves one request on the connection `token`, if it is still idle (a sweep or a stop
  /// may have closed it since epoll reported it).
  private func serve(_ token: UInt64) {
    let claimed = locked { () -> FastCGIConnection? in
      guard let connection = connections[token], connection.state == .idle else { return nil }
      connection.state = .busy
      return connection
    }
    guard let connection = claimed else { return }
    let open: Bool
    switch connection.readRequest(maxBodyBytes: options.maxBodyBytes, reject: reject) {
    case .closed:
      open = false
    case .refusal(let response):
      open = connection.finish(response, keep: false, closeAfter: true)
    case .request(let request):
      deferred.add(1, ordering: .acquiringAndReleasing)
      let immediate = handler(request) { [self] response in complete(connection, response) }
      guard let immediate else { return }  // answered later, by writeCompleted()
      deferred.subtract(1, ordering: .acquiringAndReleasing)
      open = connection.finish(immediate, keep: true, closeAfter: isStopping)
    }
    release(connection, open: open)
  }

  /// After a request: re-arms a connection that stays open, or closes it.
  func release(_ connection: FastCGIConnection, open: Bool) {
    let token = connection.token
    let keep = locked { () -> Bool in
      if open && !stopping {
        connection.state = .idle
        connection.idleSince = MonotonicClock.milliseconds()
        return true
      }
      connections[token] = nil
      return false
    }
    if keep {
      _ = bls_epoll_watch_once(epoll, EPOLL_CTL_MOD, connection.fd, token)
    } else {
      discard(connection)
      resumeAcceptingIfPaused()
    }
  }

  // MARK: Helpers

  /// Whether `fd` has bytes (or an end of stream) to read right now.
  static func hasInput(_ fd: Int32) -> Bool {
    guard fd >= 0 else { return false }
    var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    return poll(&entry, 1, 0) > 0 && entry.revents != 0
  }

  func locked<T>(_ body: () -> T) -> T {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return body()
  }
}
