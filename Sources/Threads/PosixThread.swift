import Glibc

/// A POSIX thread running a closure, without Foundation: the server's workers, the store's
/// writer and checkpointer, the signal waiter. Join it once, or detach it.
public final class PosixThread: @unchecked Sendable {
  /// `pthread_create` refused (resource limits): the thread did not start.
  public struct StartError: Error, CustomStringConvertible {
    /// The `errno`-style status `pthread_create` returned.
    public let status: Int32
    public var description: String { "cannot start a thread: \(String(cString: strerror(status)))" }
  }

  private final class Body {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
  }

  private var handle: pthread_t?

  /// Starts `body` on a new thread.
  public init(_ body: @escaping @Sendable () -> Void) throws(StartError) {
    let context = Unmanaged.passRetained(Body(body)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(
      &thread, nil,
      { context in
        Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
        return nil
      }, context)
    guard status == 0 else {
      Unmanaged<Body>.fromOpaque(context).release()
      throw StartError(status: status)
    }
    handle = thread
  }

  /// Starts a thread the process cannot work without (a store's writer); stops the process
  /// with the reason if it cannot.
  public static func essential(_ body: @escaping @Sendable () -> Void) -> PosixThread {
    do {
      return try PosixThread(body)
    } catch {
      preconditionFailure(error.description)
    }
  }

  /// Waits for the thread to finish. Call once.
  public func join() {
    guard let handle else { return }
    pthread_join(handle, nil)
    self.handle = nil
  }

  /// Lets the thread run on its own; it can no longer be joined.
  public func detach() {
    guard let handle else { return }
    pthread_detach(handle)
    self.handle = nil
  }
}
