import Foundation

/// Blocking client sockets for the test clients, with read and write timeouts so a test never
/// hangs on a server that stopped answering.
enum TestSocket {
  /// A stream socket connected to the unix socket at `path`.
  static func connect(unixPath path: String, timeoutSeconds: Int) throws -> Int32 {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { bytes in
      for (index, byte) in path.utf8.enumerated() { bytes[index] = byte }
    }
    return try connect(family: AF_UNIX, to: address, timeoutMilliseconds: timeoutSeconds * 1000, naming: path)
  }

  /// A TCP socket connected to `host`:`port` (IPv4).
  static func connect(host: String, port: Int, timeoutSeconds: Int) throws -> Int32 {
    try connect(host: host, port: port, timeoutMilliseconds: timeoutSeconds * 1000)
  }

  /// A TCP socket connected to `host`:`port` (IPv4), reads and writes timing out after
  /// `timeoutMilliseconds`.
  static func connect(host: String, port: Int, timeoutMilliseconds: Int) throws -> Int32 {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr(host)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    return try connect(
      family: AF_INET, to: address, timeoutMilliseconds: timeoutMilliseconds, naming: "\(host):\(port)")
  }

  private static func connect<Address>(
    family: Int32, to address: Address, timeoutMilliseconds: Int, naming name: String
  )
    throws -> Int32
  {
    let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw HTTPClientError(description: "socket: \(String(cString: strerror(errno)))") }
    var timeout = timeval(tv_sec: timeoutMilliseconds / 1000, tv_usec: (timeoutMilliseconds % 1000) * 1000)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = address
    let status = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<Address>.size))
      }
    }
    guard status == 0 else {
      let reason = String(cString: strerror(errno))
      close(fd)
      throw HTTPClientError(description: "connect \(name): \(reason)")
    }
    return fd
  }
}
