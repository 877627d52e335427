import Glibc
import JSON
import ProcessSupport

/// A minimal HTTP/1.0 GET over a TCP socket, enough to ask `/health` whether the stack is up
/// (the image has no curl or wget). Every step is bounded by the timeout.
struct HealthcheckProbe {
  var host: String
  var port: Int
  var path: String = "/health"
  var timeoutMilliseconds: Int = 3000

  /// What the probe saw.
  enum Outcome: Equatable {
    /// 200 with `"status":"healthy"` in a JSON object body.
    case healthy
    /// An answer, but not a healthy one: the status and a short reason.
    case unhealthy(status: Int, reason: String)
    /// No HTTP answer at all (refused, timed out, malformed).
    case unreachable(String)
  }

  func check() -> Outcome {
    switch get() {
    case .failure(let failure):
      return .unreachable(failure.reason)
    case .success(let (status, body)):
      guard status == 200 else { return .unhealthy(status: status, reason: Self.excerpt(body)) }
      guard case .object(let object)? = try? JSONParser().parse(body),
        object["status"] == .string("healthy")
      else {
        return .unhealthy(status: status, reason: "body is not {\"status\":\"healthy\",…}: \(Self.excerpt(body))")
      }
      return .healthy
    }
  }

  private struct Failure: Error { let reason: String }

  /// Status code and body of `GET path`, or why there is none.
  private func get() -> Result<(Int, [UInt8]), Failure> {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return .failure(Failure(reason: "socket: \(SystemError.errno.reason)")) }
    defer { close(fd) }
    var timeout = timeval(tv_sec: timeoutMilliseconds / 1000, tv_usec: (timeoutMilliseconds % 1000) * 1000)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
      return .failure(Failure(reason: "not an IPv4 address: \(host)"))
    }
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      return .failure(Failure(reason: "cannot connect to \(host):\(port): \(SystemError.errno.reason)"))
    }
    let request = Array("GET \(path) HTTP/1.0\r\nHost: \(host):\(port)\r\nConnection: close\r\n\r\n".utf8)
    guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else {
      return .failure(Failure(reason: "cannot send the request: \(SystemError.errno.reason)"))
    }
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while response.count < 1 << 20 {
      let count = recv(fd, &buffer, buffer.count, 0)
      if count > 0 {
        response.append(contentsOf: buffer[0..<count])
      } else if count == 0 {
        break
      } else if errno != EINTR {
        return .failure(Failure(reason: "no answer from \(host):\(port): \(SystemError.errno.reason)"))
      }
    }
    return Self.parse(response).map { .success($0) } ?? .failure(Failure(reason: "malformed HTTP answer"))
  }

  /// Splits an HTTP/1.x response into status code and body.
  static func parse(_ response: [UInt8]) -> (Int, [UInt8])? {
    let separator: [UInt8] = [13, 10, 13, 10]
    guard let end = response.indices.first(where: { response[$0...].starts(with: separator) }) else { return nil }
    let head = String(decoding: response[..<end], as: UTF8.self)
    let statusLine = head.split(separator: "\r\n", maxSplits: 1).first ?? ""
    let parts = statusLine.split(separator: " ", maxSplits: 2)
    guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else { return nil }
    return (status, Array(response[(end + 4)...]))
  }

  static func excerpt(_ body: [UInt8]) -> String {
    let text = String(decoding: body.prefix(200), as: UTF8.self)
    return text.replacing("\n", with: " ")
  }
}
