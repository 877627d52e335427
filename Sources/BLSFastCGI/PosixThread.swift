#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A joinable POSIX thread running a closure: the worker pool's threads, without Foundation.
struct PosixThread: @unchecked Sendable {
  private final class Body {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
  }

  #if canImport(Glibc)
    private let handle: pthread_t
  #else
    private let handle: pthread_t?
  #endif

  /// Starts `body` on a new thread.
  init(_ body: @escaping @Sendable () -> Void) throws(FastCGIError) {
    let context = Unmanaged.passRetained(Body(body)).toOpaque()
    #if canImport(Glibc)
      var thread = pthread_t()
    #else
      var thread: pthread_t?
    #endif
    let status = pthread_create(
      &thread, nil,
      { context in
        let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
        body.run()
        return nil
      }, context)
    guard status == 0 else {
      Unmanaged<Body>.fromOpaque(context).release()
      throw FastCGIError(code: "thread", message: "cannot start a worker thread: \(String(cString: strerror(status)))")
    }
    handle = thread
  }

  /// Waits for the thread to finish.
  func join() {
    #if canImport(Glibc)
      pthread_join(handle, nil)
    #else
      if let handle { pthread_join(handle, nil) }
    #endif
  }
}
