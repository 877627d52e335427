/// The bounds a ``FastCGIConnectionParser`` enforces, and the values it reports to
/// `FCGI_GET_VALUES` (FastCGI spec §4.1).
public struct FastCGILimits: Sendable, Hashable {
  /// The default ``maxParamsBytes``: 32 KiB, far above what nginx or Apache send for one
  /// request (a few hundred bytes of CGI variables plus the request headers).
  public static let defaultMaxParamsBytes = 32768
  /// The default ``maxManagementBytes``: a `FCGI_GET_VALUES` naming the three variables is
  /// under 60 bytes.
  public static let defaultMaxManagementBytes = 1024

  /// The most bytes one request's `FCGI_PARAMS` stream may carry, counted as the encoded
  /// pairs (§3.4). A request over it, or one whose pair declares a length that would take it
  /// over, ends in ``FastCGIEvent/paramsTooLarge(requestId:)`` before those bytes arrive.
  public var maxParamsBytes: Int
  /// The most bytes one request's `FCGI_STDIN` stream may carry. A record that would take the
  /// body over it, or a `CONTENT_LENGTH` param above it, ends in
  /// ``FastCGIEvent/bodyTooLarge(requestId:limit:)``.
  public var maxBodyBytes: Int
  /// The most content bytes of one `FCGI_GET_VALUES` record; a longer one is a protocol error.
  public var maxManagementBytes: Int
  /// The value reported for `FCGI_MAX_CONNS`: connections the server accepts at once.
  public var maxConnections: Int
  /// The value reported for `FCGI_MAX_REQS`: requests the server handles at once.
  public var maxRequests: Int

  /// Limits with the documented defaults; `maxBodyBytes` is the caller's (the server's
  /// existing body limit).
  public init(
    maxBodyBytes: Int, maxParamsBytes: Int = defaultMaxParamsBytes,
    maxManagementBytes: Int = defaultMaxManagementBytes, maxConnections: Int = 1024, maxRequests: Int = 1024
  ) {
    self.maxBodyBytes = maxBodyBytes
    self.maxParamsBytes = maxParamsBytes
    self.maxManagementBytes = maxManagementBytes
    self.maxConnections = maxConnections
    self.maxRequests = maxRequests
  }

  /// The most bytes a ``FastCGIConnectionParser`` with these limits holds at any moment:
  /// a partial record header (8), the params (``maxParamsBytes``), the body
  /// (``maxBodyBytes``) and one management record's content (``maxManagementBytes``).
  /// Padding and skipped records are counted down, never stored.
  public var maxBufferedBytes: Int {
    FastCGI.headerLength + maxParamsBytes + maxBodyBytes + maxManagementBytes
  }
}
