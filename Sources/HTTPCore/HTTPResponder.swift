/// Delivers a response later, from any thread: how a handler that waits (for BLS: on the
/// store's group commit) answers. Called exactly once per deferred request.
public typealias HTTPResponder = @Sendable (HTTPResponse) -> Void
