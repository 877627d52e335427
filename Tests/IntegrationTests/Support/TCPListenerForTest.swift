import Foundation

/// A loopback TCP listener on a free port; a background thread accepts connections, reads
/// what arrives, hands each to `respond`, and closes it. Closed on teardown.
final class TCPListenerForTest: @unchecked Sendable {
  let port: Int
  private let fd: Int32

  init(_ respond: @escaping @Sendable (Int32) -> Void) throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    self.fd = fd
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard bound == 0, listen(fd, 16) == 0 else { throw HTTPClientError(description: "cannot listen") }
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    port = Int(UInt16(bigEndian: address.sin_port))
    let listening = fd
    Thread {
      while true {
        let connection = accept(listening, nil, nil)
        if connection < 0 { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        _ = recv(connection, &buffer, buffer.count, 0)
        respond(connection)
        close(connection)
      }
    }.start()
  }

  deinit {
    shutdown(fd, Int32(SHUT_RDWR))
    close(fd)
  }
}
