extension FastCGIServer {
  /// Web-server connections open now (idle kept-alive ones included), for `bls_connections`.
  public var connectionCount: Int { state.withLock { $0.connections.count } }
}
