#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A joinable POSIX thread running a closure (the library avoids Foundation).
final class PosixThread: @unchecked Sendable {
  private var thread: pthread_t?

  /// Starts `body` on a new thread.
  init(_ body: @escaping @Sendable () -> Void) {
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var handle = pthread_t()
    let rc = pthread_create(
      &handle, nil,
      { raw in
        let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
        box.body()
        return nil
      }, box)
    precondition(rc == 0, "pthread_create failed with \(rc)")
    thread = handle
  }

  /// Waits for the thread to finish. Call once.
  func join() {
    guard let thread else { return }
    pthread_join(thread, nil)
    self.thread = nil
  }

  private final class Box {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
  }
}
