import BLSTestSupport
import Foundation
import Testing

/// The findings of the audit of `bls-fcgi serve` with a raw FastCGI client (issue 11, F1–F7):
/// each sends what crashed, bloated or wedged the libfcgi-based responder, and checks that the
/// responder answers as the FastCGI specification says and stays alive, small and responsive.
@Suite("FastCGI audit findings against the real responder", .serialized)
struct FastCGIAuditTests {
  /// `FCGI_GET_VALUES` (§4.1) naming each of `names`.
  static func getValues(_ names: [String]) -> [UInt8] {
    FastCGIClient.record(.getValues, id: 0, FastCGIClient.encodeParams(names.map { ($0, "") }))
  }

  static func rssKiB(_ pid: Int32) -> Int {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
  }

  static func expectHealthy(_ responder: ServingResponder, _ what: String) {
    let answer = try? responder.connect().request(FastCGIClient.request(method: "GET", uri: "/health"))
    #expect(answer?.status == 200, "\(what): \(responder.process.stderr.suffix(1500))")
    #expect(responder.process.isRunning, "\(what): the responder died")
  }

  @Test("F1: FCGI_GET_VALUES naming FCGI_MAX_CONNS many times: one answer per name, no crash")
  func getValuesRepeated() throws {
    let responder = try ServingResponder("audit-f1", options: ["--max-connections", "64"])
    let client = try responder.connect()
    try client.send(Self.getValues(Array(repeating: "FCGI_MAX_CONNS", count: 40) + ["FCGI_MPXS_CONNS", "NOPE"]))
    let (type, content) = try client.readRecord()
    #expect(type == 10, "FCGI_GET_VALUES_RESULT")
    #expect(content == FastCGIClient.encodeParams([("FCGI_MAX_CONNS", "64"), ("FCGI_MPXS_CONNS", "0")]))
    Self.expectHealthy(responder, "after F1")
  }

  @Test("F2: a params name length of 2^31-2: refused cleanly, no crash")
  func hugeNameLength() throws {
    let responder = try ServingResponder("audit-f2")
    let client = try responder.connect()
    let pair: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFE, 0x00]
    try client.send(
      FastCGIClient.beginRequest(keepConnection: true) + FastCGIClient.record(.params, pair)
        + FastCGIClient.record(.params, []))
    let answer = try client.readResponse()
    #expect(answer.status == 431, "\(answer.status) \(answer.text)")
    #expect(answer.json?["accept"] == false)
    #expect(client.isClosedByPeer())
    Self.expectHealthy(responder, "after F2")
  }

  @Test("F3: one param declaring ~1.8 GB: refused before it arrives, memory stays flat")
  func hugeParam() throws {
    let responder = try ServingResponder("audit-f3")
    let before = Self.rssKiB(responder.process.pid)
    let client = try responder.connect()
    // Name length 5, value length 1.8e9, then data the parser must not keep.
    let head: [UInt8] = [5, 0x6B, 0x49, 0xD2, 0x00] + Array("HTTP_".utf8)
    try client.send(FastCGIClient.beginRequest(keepConnection: true))
    let chunk = [UInt8](repeating: 0x41, count: 65528)
    try? client.send(FastCGIClient.record(.params, head + chunk.prefix(65528 - head.count)))
    for _ in 0..<1000 {  // 64 MB more, if the responder still reads
      guard (try? client.send(FastCGIClient.record(.params, chunk))) != nil else { break }
    }
    let grown = Self.rssKiB(responder.process.pid) - before
    #expect(grown < 16 * 1024, "RSS grew \(grown) KiB")
    Self.expectHealthy(responder, "after F3")
  }

  @Test("F4: a flood of unknown-type records: each answered FCGI_UNKNOWN_TYPE, nothing kept")
  func unknownTypeFlood() throws {
    let responder = try ServingResponder("audit-f4")
    let client = try responder.connect()
    let record = FastCGIClient.record(.getValues, id: 0, []).map { $0 }
    var unknown = record
    unknown[1] = 200  // an unknown management record type, no content
    try client.send(unknown)
    let (type, content) = try client.readRecord()
    #expect(type == 11 && content.first == 200, "FCGI_UNKNOWN_TYPE naming type 200")
    let before = Self.rssKiB(responder.process.pid)
    // 400 000 records (3.2 MB) sent while the replies are read on another thread.
    let batch = [UInt8]((0..<4000).flatMap { _ in unknown })
    nonisolated(unsafe) let replies = client  // read by that thread only, written by this one
    let reader = Thread {
      for _ in 0..<400_000 { guard (try? replies.readRecord()) != nil else { return } }
    }
    reader.start()
    for _ in 0..<100 { try client.send(batch) }
    let grown = Self.rssKiB(responder.process.pid) - before
    #expect(grown < 8 * 1024, "RSS grew \(grown) KiB over 400 000 records")
    Self.expectHealthy(responder, "after F4")
  }

  @Test("F6: after a final answer the peer keeps sending: the connection still closes")
  func boundedLinger() throws {
    let responder = try ServingResponder("audit-f6", options: ["--workers", "1"])
    let client = try responder.connect()
    let answer = try client.request(FastCGIClient.request(method: "GET", uri: "/health", keepConnection: false))
    #expect(answer.status == 200)
    // Keep sending for up to 8 s: the lingering close must end on its own (2 s).
    let started = Date()
    var closed = false
    while Date().timeIntervalSince(started) < 8 {
      if (try? client.send([UInt8](repeating: 0, count: 1024))) == nil {
        closed = true
        break
      }
      usleep(50_000)
    }
    #expect(closed, "the responder kept draining a finished connection")
    Self.expectHealthy(responder, "after F6")
  }

  @Test("F7: at the connection limit a new connection is served at once (the oldest idle one goes)")
  func connectionLimit() throws {
    let responder = try ServingResponder("audit-f7", options: ["--max-connections", "32", "--idle-timeout", "600"])
    let idle = try (0..<32).map { _ in try responder.connect() }
    // Make them kept connections that served a request, so none is "new and silent".
    // Milliseconds apart, so the first is the oldest idle one beyond doubt.
    for client in idle {
      #expect(try client.request(FastCGIClient.request(method: "GET", uri: "/health")).status == 200)
      usleep(3000)
    }
    let started = Date()
    let fresh = try FastCGIClient(socket: responder.socketPath, timeoutSeconds: 5)
    let answer = try fresh.request(FastCGIClient.request(method: "GET", uri: "/health"))
    #expect(answer.status == 200)
    #expect(Date().timeIntervalSince(started) < 2, "a new connection waited for the idle sweep")
    #expect(idle[0].isClosedByPeer(), "the oldest idle connection was closed for it")
  }
}
