import BLSFastCGI
import Glibc
import ProcessSupport

/// Where `serve` listens, from its command-line options.
struct ServeEndpoint {
  var socket: String?
  var socketMode: String
  var socketGroup: String?
  var listen: String?

  /// Opens the listener: the unix socket, the TCP address, or the socket inherited on fd 0.
  func open() throws(FastCGIError) -> FastCGIListener {
    if let socket {
      let listener = try FastCGIListener.unix(path: socket, mode: Self.octalMode(socketMode) ?? 0o660)
      if let socketGroup, let gid = Self.groupID(socketGroup), chown(socket, uid_t.max, gid) != 0 {
        listener.close()
        throw FastCGIError(
          code: "socket", message: "cannot give \(socket) to group \(socketGroup): \(SystemError.errno.reason)")
      }
      return listener
    }
    if let listen, let (host, port) = Self.hostAndPort(listen) {
      return try .tcp(host: host, port: port)
    }
    return try .inherited(fd: 0)
  }

  /// A group name or number → its id; `nil` when there is no such group.
  static func groupID(_ text: String) -> gid_t? {
    if let number = gid_t(text) { return number }
    return getgrnam(text).map { $0.pointee.gr_gid }
  }

  /// `"0660"` → 0o660; `nil` unless 1–4 octal digits no greater than 0o7777.
  static func octalMode(_ text: String) -> UInt32? {
    guard (1...4).contains(text.count), let value = UInt32(text, radix: 8), value <= 0o7777 else { return nil }
    return value
  }

  /// `"HOST:PORT"` or `"PORT"` (host 127.0.0.1); `nil` for a malformed value or a port
  /// outside 1–65535.
  static func hostAndPort(_ text: String) -> (String, Int)? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    let host: String
    let portText: Substring
    switch parts.count {
    case 1: (host, portText) = ("127.0.0.1", parts[0])
    case 2: (host, portText) = (parts[0].isEmpty ? "127.0.0.1" : String(parts[0]), parts[1])
    default: return nil
    }
    guard portText.allSatisfy(\.isASCII), let port = Int(portText), (1...65535).contains(port) else { return nil }
    return (host, port)
  }
}
