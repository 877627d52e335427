import Foundation

/// A FastCGI client speaking raw records to `bls-fcgi serve` (FastCGI 1.0 §3, §5), to test
/// the responder without a web server: well-formed requests, keep-conn, and deliberately
/// broken input.
final class FastCGIClient {
  enum RecordType: UInt8 {
    case beginRequest = 1, abortRequest = 2, endRequest = 3, params = 4, stdin = 5, stdout = 6, stderr = 7
    case getValues = 9, getValuesResult = 10, unknownType = 11
  }

  private let fd: Int32
  private var buffer: [UInt8] = []
  private(set) var isClosed = false

  /// Connects to the unix socket at `path`.
  init(socket path: String, timeoutSeconds: Int = 10) throws {
    fd = try TestSocket.connect(unixPath: path, timeoutSeconds: timeoutSeconds)
  }

  /// Connects to TCP 127.0.0.1:`port`.
  init(tcpPort port: Int, timeoutSeconds: Int = 10) throws {
    fd = try TestSocket.connect(host: "127.0.0.1", port: port, timeoutSeconds: timeoutSeconds)
  }

  deinit { shutdown() }

  func shutdown() {
    if !isClosed {
      close(fd)
      isClosed = true
    }
  }

  // MARK: Encoding

  static func record(_ type: RecordType, id: UInt16 = 1, _ content: [UInt8]) -> [UInt8] {
    precondition(content.count <= 65535)
    let padding = (8 - content.count % 8) % 8
    return [
      1, type.rawValue, UInt8(id >> 8), UInt8(id & 0xff), UInt8(content.count >> 8), UInt8(content.count & 0xff),
      UInt8(padding), 0,
    ]
      + content + [UInt8](repeating: 0, count: padding)
  }

  /// Records of a stream (PARAMS, STDIN) carrying `bytes`, ending with the empty record.
  static func stream(_ type: RecordType, id: UInt16 = 1, _ bytes: [UInt8], end: Bool = true) -> [UInt8] {
    var records: [UInt8] = []
    var offset = 0
    while offset < bytes.count {
      let count = min(65528, bytes.count - offset)
      records += record(type, id: id, Array(bytes[offset..<offset + count]))
      offset += count
    }
    return end ? records + record(type, id: id, []) : records
  }

  static func beginRequest(id: UInt16 = 1, keepConnection: Bool) -> [UInt8] {
    record(.beginRequest, id: id, [0, 1, keepConnection ? 1 : 0, 0, 0, 0, 0, 0])
  }

  /// Name-value pairs (FastCGI §3.4): 1-byte lengths below 128, else 4 bytes with the top bit.
  static func encodeParams(_ params: [(String, String)]) -> [UInt8] {
    func length(_ count: Int) -> [UInt8] {
      count < 128
        ? [UInt8(count)]
        : [UInt8(0x80 | (count >> 24)), UInt8((count >> 16) & 0xff), UInt8((count >> 8) & 0xff), UInt8(count & 0xff)]
    }
    var bytes: [UInt8] = []
    for (name, value) in params {
      bytes += length(name.utf8.count) + length(value.utf8.count) + Array(name.utf8) + Array(value.utf8)
    }
    return bytes
  }

  /// A whole request: BEGIN_REQUEST, PARAMS, STDIN.
  static func request(
    method: String, uri: String, body: [UInt8] = [], contentLength: Int? = nil, keepConnection: Bool = true,
    extra: [(String, String)] = []
  ) -> [UInt8] {
    var params = [("REQUEST_METHOD", method), ("REQUEST_URI", uri), ("GATEWAY_INTERFACE", "CGI/1.1")]
    if !body.isEmpty || contentLength != nil {
      params.append(("CONTENT_LENGTH", String(contentLength ?? body.count)))
      params.append(("CONTENT_TYPE", "application/json"))
    }
    params += extra
    return beginRequest(keepConnection: keepConnection) + stream(.params, encodeParams(params)) + stream(.stdin, body)
  }

  // MARK: I/O

  func send(_ bytes: [UInt8]) throws {
    var offset = 0
    while offset < bytes.count {
      let count = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      guard count > 0 else { throw HTTPClientError(description: "send: \(String(cString: strerror(errno)))") }
      offset += count
    }
  }

  /// Reads records until FCGI_END_REQUEST; returns the CGI response from FCGI_STDOUT.
  func readResponse() throws -> HTTPAnswer {
    var stdout: [UInt8] = []
    while true {
      let (type, content) = try readRecord()
      if type == RecordType.stdout.rawValue { stdout += content }
      if type == RecordType.endRequest.rawValue { break }
    }
    return try Self.parseCGI(stdout)
  }

  /// Whether the server closed the connection (a read returns end of file within the timeout).
  func isClosedByPeer() -> Bool {
    var byte: UInt8 = 0
    while true {
      let count = recv(fd, &byte, 1, 0)
      if count == 0 { return true }
      if count < 0 { return errno == ECONNRESET }
    }
  }

  func request(_ bytes: [UInt8]) throws -> HTTPAnswer {
    try send(bytes)
    return try readResponse()
  }

  /// The next record: its type and content (padding skipped).
  func readRecord() throws -> (UInt8, [UInt8]) {
    try fill(8)
    let header = Array(buffer[0..<8])
    let length = Int(header[4]) << 8 | Int(header[5])
    let total = 8 + length + Int(header[6])
    try fill(total)
    let content = Array(buffer[8..<8 + length])
    buffer.removeFirst(total)
    return (header[1], content)
  }

  private func fill(_ count: Int) throws {
    var chunk = [UInt8](repeating: 0, count: 65536)
    while buffer.count < count {
      let received = recv(fd, &chunk, chunk.count, 0)
      if received > 0 {
        buffer += chunk[0..<received]
      } else if received == 0 {
        throw HTTPClientError(description: "connection closed by the responder")
      } else {
        throw HTTPClientError(description: "recv: \(String(cString: strerror(errno)))")
      }
    }
  }

  /// `Status: 200 OK\r\nName: value\r\n\r\nbody` → answer.
  static func parseCGI(_ bytes: [UInt8]) throws -> HTTPAnswer {
    guard let end = bytes.firstRange(of: [13, 10, 13, 10])?.lowerBound else {
      throw HTTPClientError(description: "no CGI header block in \(String(decoding: bytes, as: UTF8.self))")
    }
    var headers: [String: String] = [:]
    for line in String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let status = headers["status"].flatMap { Int($0.prefix(3)) } ?? 200
    return HTTPAnswer(status: status, headers: headers, body: Array(bytes[(end + 4)...]))
  }
}
