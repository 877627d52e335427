import Glibc
import ProcessSupport

/// The listening socket a ``FastCGIServer`` accepts web-server connections on: a unix socket
/// it creates, a TCP address (loopback unless told otherwise), or a socket inherited on fd 0
/// from the web server or `spawn-fcgi` that started the process (libfcgi's convention,
/// `FCGI_LISTENSOCK_FILENO`).
public struct FastCGIListener: Sendable {
  /// The listening descriptor (non-blocking, close-on-exec).
  public let fd: Int32
  /// Where it listens, for logs: `unix:/tmp/bls/bls.sock`, `tcp:127.0.0.1:9000`.
  public let address: String
  /// The socket file this process created, removed by ``close()``.
  let ownedPath: String?

  /// Creates a unix socket at `path` with permission bits `mode` (0660 lets the web server's
  /// group connect). Refuses a path on which another process is still accepting.
  public static func unix(path: String, mode: UInt32 = 0o660, backlog: Int32 = 1024)
    throws(FastCGIError) -> FastCGIListener
  {
    guard !path.isEmpty, path.utf8.count < 108 else {
      throw FastCGIError(
        code: "socket", message: "socket path must be 1 to 107 bytes long, got \(path.utf8.count): \(path)")
    }
    if isAccepting(unixPath: path) {
      throw FastCGIError(code: "socket", message: "another process is already listening on \(path)")
    }
    // A stale file of a process that is gone is replaced, as every FastCGI server does.
    unlink(path)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { buffer in
      for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
    }
    let previousMask = umask(mode_t(~mode & 0o777))
    let fd = Self.listen(family: AF_UNIX, address, backlog: backlog)
    umask(previousMask)
    guard fd >= 0 else {
      throw FastCGIError(code: "socket", message: "cannot listen on \(path): \(SystemError.errno.reason)")
    }
    chmod(path, mode_t(mode))
    try prepare(fd)
    return FastCGIListener(fd: fd, address: "unix:\(path)", ownedPath: path)
  }

  /// Listens on TCP `host:port`. `host` is an IPv4 address or a name resolving to exactly one;
  /// the default is loopback, so only this machine's web server can connect.
  public static func tcp(host: String = "127.0.0.1", port: Int, backlog: Int32 = 1024)
    throws(FastCGIError) -> FastCGIListener
  {
    guard (1...65535).contains(port) else {
      throw FastCGIError(code: "socket", message: "TCP port must be 1 to 65535, got \(port)")
    }
    guard !host.isEmpty, !host.contains(":") else {
      throw FastCGIError(code: "socket", message: "TCP host must be an IPv4 address or a name, got \"\(host)\"")
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    guard inet_pton(AF_INET, host, &address.sin_addr) == 1 || resolve(host, into: &address.sin_addr) else {
      throw FastCGIError(code: "socket", message: "TCP host \"\(host)\" is not an IPv4 address or a resolvable name")
    }
    let fd = Self.listen(family: AF_INET, address, backlog: backlog)
    guard fd >= 0 else {
      throw FastCGIError(code: "socket", message: "cannot listen on \(host):\(port): \(SystemError.errno.reason)")
    }
    try prepare(fd)
    return FastCGIListener(fd: fd, address: "tcp:\(host):\(port)", ownedPath: nil)
  }

  /// Accepts on the listening socket the parent left on `fd` (0 under `spawn-fcgi` and web
  /// servers that start FastCGI applications themselves).
  public static func inherited(fd: Int32 = 0) throws(FastCGIError) -> FastCGIListener {
    var accepting: Int32 = 0
    var length = socklen_t(MemoryLayout<Int32>.size)
    guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0, accepting != 0 else {
      throw FastCGIError(
        code: "socket",
        message:
          "fd \(fd) is not a listening socket: pass --socket PATH or --listen HOST:PORT, or start under spawn-fcgi")
    }
    try prepare(fd)
    return FastCGIListener(fd: fd, address: "inherited fd \(fd) (\(socketName(fd)))", ownedPath: nil)
  }

  /// Stops listening; removes the socket file this process created.
  public func close() {
    closeDescriptor(fd)
    if let ownedPath { unlink(ownedPath) }
  }

  /// Non-blocking (the server polls before accepting, so a shutdown never waits in accept)
  /// and close-on-exec (no child inherits it).
  private static func prepare(_ fd: Int32) throws(FastCGIError) {
    let flags = fcntl(fd, F_GETFL)
    guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0,
      fcntl(fd, F_SETFD, FD_CLOEXEC) == 0
    else {
      throw FastCGIError(code: "socket", message: "cannot configure listening socket: \(SystemError.errno.reason)")
    }
  }

  /// A stream socket of `family` bound to `address` and listening (`SO_REUSEADDR` for TCP, so
  /// a restart does not wait for TIME_WAIT), or -1 with `errno` set.
  private static func listen<Address>(family: Int32, _ address: Address, backlog: Int32) -> Int32 {
    let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return -1 }
    if family == AF_INET {
      var on: Int32 = 1
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
    }
    var address = address
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<Address>.size)) }
    }
    guard bound == 0, Glibc.listen(fd, backlog) == 0 else {
      let code = errno
      closeDescriptor(fd)
      errno = code
      return -1
    }
    return fd
  }

  /// The one IPv4 address `host` resolves to; false when it resolves to none.
  private static func resolve(_ host: String, into address: inout in_addr) -> Bool {
    var hints = addrinfo()
    hints.ai_family = AF_INET
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var result: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return false }
    defer { freeaddrinfo(result) }
    guard let found = first.pointee.ai_addr else { return false }
    found.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address = $0.pointee.sin_addr }
    return true
  }

  /// Whether a process accepts connections on the unix socket at `path` (a connect test).
  public static func isAccepting(unixPath path: String) -> Bool {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { closeDescriptor(fd) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { buffer in
      for (index, byte) in path.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
    }
    let status = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    return status == 0
  }

  /// `unix:PATH` or `tcp:ADDR:PORT` of a bound socket, for logs.
  static func socketName(_ fd: Int32) -> String {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let status = withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard status == 0 else { return "unknown" }
    switch Int32(storage.ss_family) {
    case AF_UNIX:
      return withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr_un.self, capacity: 1) { pointer in
          withUnsafeBytes(of: pointer.pointee.sun_path) { bytes in
            "unix:" + String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
          }
        }
      }
    case AF_INET:
      return withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
          var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
          var address = pointer.pointee.sin_addr
          inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
          let host = text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
          return "tcp:\(host):\(UInt16(bigEndian: pointer.pointee.sin_port))"
        }
      }
    default:
      return "family \(storage.ss_family)"
    }
  }
}

/// `close(2)`, callable from types that have a `close()` method of their own.
func closeDescriptor(_ fd: Int32) { _ = close(fd) }
