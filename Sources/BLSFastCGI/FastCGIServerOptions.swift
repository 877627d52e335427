import FastCGIWire
import Glibc
import ProcessSupport

/// Tuning of a ``FastCGIServer``.
public struct FastCGIServerOptions: Sendable {
  /// Worker threads waiting in epoll, reading requests and answering them (each one request
  /// at a time; a deferred request holds no worker while it waits). Default: the number of
  /// online cores.
  public var workers: Int
  /// Largest request body read, in bytes; a larger one is refused
  /// (``TransportRejection/payloadTooLarge(limit:)``) without reading it, and its connection is closed.
  public var maxBodyBytes: Int
  /// Most bytes of one request's FastCGI parameters (CGI variables and HTTP headers); a
  /// request over it is refused (``TransportRejection/headersTooLarge(limit:)``).
  public var maxParamsBytes: Int
  /// Seconds a request may take to arrive whole (parameters and body), an answer to be taken
  /// by the web server, and a new connection to stay silent before it is closed.
  public var ioTimeoutSeconds: Int
  /// Seconds a kept-open (`FCGI_KEEP_CONN`) connection may stay idle before it is closed.
  public var idleTimeoutSeconds: Int
  /// Most connections open at once; at the limit the oldest idle one is closed for a new
  /// one, and when none is idle new ones wait in the listen backlog.
  public var maxConnections: Int
  /// IPv4 addresses allowed to connect over TCP (libfcgi's `FCGI_WEB_SERVER_ADDRS`
  /// convention); empty allows any. Unix-socket connections are not filtered.
  public var allowedTCPPeers: [String]

  public init(
    workers: Int = FastCGIServerOptions.onlineCores, maxBodyBytes: Int,
    maxParamsBytes: Int = FastCGILimits.defaultMaxParamsBytes,
    ioTimeoutSeconds: Int = 10,
    idleTimeoutSeconds: Int = 120, maxConnections: Int = 1024, allowedTCPPeers: [String] = []
  ) {
    self.workers = max(1, workers)
    self.maxBodyBytes = max(0, maxBodyBytes)
    self.maxParamsBytes = max(1024, maxParamsBytes)
    self.ioTimeoutSeconds = max(1, ioTimeoutSeconds)
    self.idleTimeoutSeconds = max(1, idleTimeoutSeconds)
    self.maxConnections = max(1, maxConnections)
    self.allowedTCPPeers = allowedTCPPeers
  }

  /// `FCGI_WEB_SERVER_ADDRS` (comma-separated IPv4 addresses) split into a list.
  public static func peers(fromWebServerAddrs value: String?) -> [String] {
    (value ?? "").split(separator: ",").map { String($0.filter { $0 != " " }) }.filter { !$0.isEmpty }
  }

  /// The cores this process may use: the online processors, lowered by its cgroup's CPU
  /// quota (``CPUQuota/effectiveCores``), at least 1.
  public static var onlineCores: Int { CPUQuota.effectiveCores }
}
