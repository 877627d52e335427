import Synchronization

/// Whether the peer that sent a request is still waiting for its answer. The transport
/// ``abandon()``s it when the connection the request came on goes away first (a web server
/// closes it when its own client leaves or its read timeout fires); whoever works on the
/// request for a while checks ``isAbandoned`` before doing something that cannot be undone
/// (for BLS: storing an event for a payment nobody will be told was accepted).
public final class RequestAbandonment: Sendable {
  private let flag = Atomic<Bool>(false)

  public init() {}

  /// True once the transport gave up on delivering the answer.
  public var isAbandoned: Bool { flag.load(ordering: .acquiring) }

  /// Marks the request abandoned (idempotent; from any thread).
  public func abandon() { flag.store(true, ordering: .releasing) }
}
