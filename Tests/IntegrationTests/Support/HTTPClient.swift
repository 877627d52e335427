import Foundation
import JSON

/// An HTTP answer as a test sees it.
struct HTTPAnswer {
  let status: Int
  /// Header names lowercased.
  let headers: [String: String]
  let body: [UInt8]
  var text: String { String(decoding: body, as: UTF8.self) }
}

struct HTTPClientError: Error, CustomStringConvertible {
  let description: String
  /// A read or write that ran into the socket's timeout (`EAGAIN`).
  var timedOut = false
}

/// A keep-alive HTTP/1.1 connection over a blocking loopback socket, enough to drive nginx:
/// Content-Length and chunked bodies, 10 s timeouts on every read and write.
final class HTTPConnection {
  private let fd: Int32
  private var buffer: [UInt8] = []
  private(set) var isClosed = false

  init(port: Int, host: String = "127.0.0.1", timeoutSeconds: Int = 10) throws {
    fd = try TestSocket.connect(host: host, port: port, timeoutMilliseconds: timeoutSeconds * 1000)
  }

  init(port: Int, host: String = "127.0.0.1", timeoutMilliseconds: Int) throws {
    fd = try TestSocket.connect(host: host, port: port, timeoutMilliseconds: timeoutMilliseconds)
  }

  deinit { if !isClosed { close(fd) } }

  func shutdown() {
    if !isClosed {
      close(fd)
      isClosed = true
    }
  }

  /// Sends one request and reads its answer.
  func request(
    _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []
  ) throws -> HTTPAnswer {
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
    head += "\r\n"
    try sendAll(Array(head.utf8) + body)
    return try readAnswer(method: method)
  }

  func sendAll(_ bytes: [UInt8]) throws {
    var offset = 0
    while offset < bytes.count {
      let count = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      guard count > 0 else { throw HTTPClientError(description: "send: \(String(cString: strerror(errno)))") }
      offset += count
    }
  }

  private func fill() throws -> Bool {
    var chunk = [UInt8](repeating: 0, count: 65536)
    let count = recv(fd, &chunk, chunk.count, 0)
    if count > 0 {
      buffer.append(contentsOf: chunk[0..<count])
      return true
    }
    if count == 0 { return false }
    throw HTTPClientError(
      description: "recv: \(String(cString: strerror(errno)))", timedOut: errno == EAGAIN || errno == EWOULDBLOCK)
  }

  private func readAnswer(method: String) throws -> HTTPAnswer {
    let separator: [UInt8] = [13, 10, 13, 10]
    var end: Int?
    while true {
      end = buffer.firstRange(of: separator)?.lowerBound
      if end != nil { break }
      guard try fill() else { throw HTTPClientError(description: "connection closed before an answer") }
    }
    let head = String(decoding: buffer[..<end!], as: UTF8.self)
    buffer.removeFirst(end! + 4)
    var lines = head.components(separatedBy: "\r\n")
    let statusParts = lines.removeFirst().split(separator: " ", maxSplits: 2)
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
      throw HTTPClientError(description: "bad status line in \(head)")
    }
    var headers: [String: String] = [:]
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    var body: [UInt8] = []
    if method == "HEAD" || status == 204 || status == 304 {
      body = []
    } else if let length = headers["content-length"].flatMap(Int.init) {
      while buffer.count < length {
        guard try fill() else { throw HTTPClientError(description: "connection closed mid-body") }
      }
      body = Array(buffer[..<length])
      buffer.removeFirst(length)
    } else if headers["transfer-encoding"]?.lowercased() == "chunked" {
      body = try readChunked()
    } else {
      while try fill() {}
      body = buffer
      buffer.removeAll()
      shutdown()
    }
    if headers["connection"]?.lowercased() == "close" { shutdown() }
    return HTTPAnswer(status: status, headers: headers, body: body)
  }

  private func readChunked() throws -> [UInt8] {
    var body: [UInt8] = []
    while true {
      var lineEnd: Int?
      while true {
        lineEnd = buffer.firstRange(of: [13, 10])?.lowerBound
        if lineEnd != nil { break }
        guard try fill() else { throw HTTPClientError(description: "closed in chunk header") }
      }
      let sizeText = String(decoding: buffer[..<lineEnd!], as: UTF8.self).split(separator: ";").first ?? ""
      guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
        throw HTTPClientError(description: "bad chunk size")
      }
      buffer.removeFirst(lineEnd! + 2)
      while buffer.count < size + 2 {
        guard try fill() else { throw HTTPClientError(description: "closed in chunk") }
      }
      body.append(contentsOf: buffer[..<size])
      buffer.removeFirst(size + 2)
      if size == 0 { return body }
    }
  }
}

extension HTTPAnswer {
  /// The body parsed as JSON (nil when it is not JSON).
  var json: JSONValue? { try? JSONValue.parse(body) }
}
