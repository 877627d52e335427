#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Tuning of a ``FastCGIServer``.
public struct FastCGIServerOptions: Sendable {
  /// Worker threads waiting in epoll, reading requests and answering them (each one request
  /// at a time; a deferred request holds no worker while it waits). Default: the number of
  /// online cores.
  public var workers: Int
  /// Largest request body read, in bytes; a larger one is refused
  /// (``TransportRejection/payloadTooLarge(limit:)``) without reading it, and its connection is closed.
  public var maxBodyBytes: Int
  /// Seconds a worker waits on a stalled web server mid-request (socket read/write timeout),
  /// and how long a new connection may stay silent before it is closed.
  public var ioTimeoutSeconds: Int
  /// Seconds a kept-open (`FCGI_KEEP_CONN`) connection may stay idle before it is closed.
  public var idleTimeoutSeconds: Int
  /// Most connections open at once; beyond it, new ones wait in the listen backlog.
  public var maxConnections: Int
  /// IPv4 addresses allowed to connect over TCP (libfcgi's `FCGI_WEB_SERVER_ADDRS`
  /// convention); empty allows any. Unix-socket connections are not filtered.
  public var allowedTCPPeers: [String]

  public init(
    workers: Int = FastCGIServerOptions.onlineCores, maxBodyBytes: Int,
    ioTimeoutSeconds: Int = 10,
    idleTimeoutSeconds: Int = 120, maxConnections: Int = 1024, allowedTCPPeers: [String] = []
  ) {
    self.workers = max(1, workers)
    self.maxBodyBytes = max(0, maxBodyBytes)
    self.ioTimeoutSeconds = max(1, ioTimeoutSeconds)
    self.idleTimeoutSeconds = max(1, idleTimeoutSeconds)
    self.maxConnections = max(1, maxConnections)
    self.allowedTCPPeers = allowedTCPPeers
  }

  /// `FCGI_WEB_SERVER_ADDRS` (comma-separated IPv4 addresses) split into a list.
  public static func peers(fromWebServerAddrs value: String?) -> [String] {
    (value ?? "").split(separator: ",").map { String($0.filter { $0 != " " }) }.filter { !$0.isEmpty }
  }

  /// The number of online processors (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
  public static var onlineCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
