import BLSTestSupport
import Foundation
import JSON
import Testing

/// `bls-fcgi serve` spoken to directly in FastCGI records: keep-conn, limits, broken input,
/// hang-ups and signals.
@Suite("bls-fcgi serve over raw FastCGI")
struct ServeTests {
  /// The default body limit: the base64 of 65536 bytes plus 16 KiB.
  static let limit = (65536 + 2) / 3 * 4 + 16384

  /// An accepted payment of the defaults profile (its body, its event id).
  static let acceptedPayment: (body: [UInt8], eventID: String) = {
    let testCase = PaymentCase.cases(profile: "defaults").first {
      $0.json["expect"]?["status"] == 200 && $0.json["stores_event"] != nil
    }!
    return (testCase.body, testCase.json["stores_event"]!.stringValue!)
  }()

  @Test("FCGI_KEEP_CONN: several requests on one connection; without it the connection closes")
  func keepConnection() throws {
    let responder = try ServingResponder("keep")
    let client = try responder.connect()
    for _ in 0..<3 {
      let answer = try client.request(FastCGIClient.request(method: "GET", uri: "/health?probe=1"))
      #expect(answer.status == 200)
      #expect(answer.json?["status"] == "healthy")
      #expect(answer.headers["content-type"] == "application/json")
      #expect(answer.headers["content-length"] == String(answer.body.count))
    }
    let once = try responder.connect()
    let answer = try once.request(FastCGIClient.request(method: "GET", uri: "/health", keepConnection: false))
    #expect(answer.status == 200)
    #expect(once.isClosedByPeer())
  }

  @Test("one worker keeps many payments in flight while they wait for the disk, and answers each")
  func deferredPayments() throws {
    let responder = try ServingResponder("deferred", options: ["--workers", "1"])
    let payment = FastCGIClient.request(method: "POST", uri: "/handle-payment", body: Self.acceptedPayment.body)
    let clients = try (0..<12).map { _ in try responder.connect() }
    // Every request is sent before any answer is read: the single worker must take them all
    // while earlier ones still wait for their commit.
    for client in clients { try client.send(payment) }
    let health = try responder.connect()
    #expect(try health.request(FastCGIClient.request(method: "GET", uri: "/health")).status == 200)
    for client in clients {
      let answer = try client.readResponse()
      #expect(answer.status == 200, "\(answer.text)")
      #expect(answer.json?["metadata"]?["eventId"]?.stringValue == Self.acceptedPayment.eventID)
      // The connection is kept and serves the next request.
      #expect(try client.request(FastCGIClient.request(method: "GET", uri: "/health")).status == 200)
    }
    #expect(try responder.storedEventIDs().contains(Self.acceptedPayment.eventID))
  }

  @Test("a declared body over the limit is answered 413 at once, unread, and the connection closed")
  func declaredTooLarge() throws {
    let responder = try ServingResponder("413")
    let client = try responder.connect()
    // Headers only: the body never comes. A responder that tried to read it would hang.
    let head =
      FastCGIClient.beginRequest(keepConnection: true)
      + FastCGIClient.stream(
        .params,
        FastCGIClient.encodeParams([
          ("REQUEST_METHOD", "POST"), ("REQUEST_URI", "/handle-payment"), ("CONTENT_LENGTH", String(Self.limit + 1)),
        ]))
    let answer = try client.request(head)
    #expect(answer.status == 413)
    #expect(answer.json?["accept"] == false)
    #expect(answer.json?["code"] == "F00")
    #expect(answer.json?["message"]?.stringValue?.contains(String(Self.limit)) == true)
    #expect(client.isClosedByPeer())
  }

  @Test("a body over the limit without CONTENT_LENGTH is cut at the limit and answered 413")
  func undeclaredTooLarge() throws {
    let responder = try ServingResponder("413b")
    let client = try responder.connect()
    let request =
      FastCGIClient.beginRequest(keepConnection: true)
      + FastCGIClient.stream(
        .params, FastCGIClient.encodeParams([("REQUEST_METHOD", "POST"), ("REQUEST_URI", "/handle-payment")]))
      + FastCGIClient.stream(.stdin, [UInt8](repeating: 0x20, count: Self.limit + 10))
    let answer = try client.request(request)
    #expect(answer.status == 413)
    #expect(answer.json?["code"] == "F00")
  }

  @Test("a body whose length differs from CONTENT_LENGTH is a JSON 400")
  func lengthMismatch() throws {
    let responder = try ServingResponder("len")
    let answer = try responder.connect().request(
      FastCGIClient.request(method: "POST", uri: "/handle-payment", body: Array("{\"a\":1}".utf8), contentLength: 3))
    #expect(answer.status == 400)
    #expect(answer.json?["code"] == "F00")
  }

  @Test("malformed FastCGI input never crashes or wedges the responder (one worker)")
  func malformedInput() throws {
    let responder = try ServingResponder("bad", options: ["--workers", "1", "--io-timeout", "1"])
    let broken: [[UInt8]] = [
      [],
      Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8),
      [UInt8](repeating: 0xff, count: 64),
      [2, 1, 0, 1, 0, 8, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0],
      FastCGIClient.record(.beginRequest, [0, 99, 1, 0, 0, 0, 0, 0]),
      FastCGIClient.record(.stdin, Array("no begin".utf8)),
      FastCGIClient.beginRequest(keepConnection: true) + FastCGIClient.record(.params, [0x7f, 0x7f, 65, 66]),
      FastCGIClient.beginRequest(keepConnection: true)
        + FastCGIClient.record(.params, [0x80, 0xff, 0xff, 0xff, 1, 65, 66]) + FastCGIClient.record(.params, []),
      Array(FastCGIClient.request(method: "GET", uri: "/health").prefix(13)),
    ]
    for (index, bytes) in broken.enumerated() {
      let client = try FastCGIClient(socket: responder.socketPath, timeoutSeconds: 10)
      try? client.send(bytes)
      // The responder answers or hangs up within its I/O timeout (1 s, plus up to 1 s until
      // the next sweep); it never keeps the worker. A client-side timeout (10 s) would show up
      // as "recv: Resource temporarily unavailable".
      let sent = Date()
      do {
        _ = try client.readResponse()
      } catch {
        // Input 4 (an unknown role) is answered as the specification says: FCGI_END_REQUEST
        // with FCGI_UNKNOWN_ROLE and no output (§5.5), which has no CGI header block.
        let refused = index == 4 && "\(error)".contains("no CGI header block")
        #expect("\(error)".contains("closed") || refused, "input \(index): \(error)")
      }
      #expect(Date().timeIntervalSince(sent) < 6, "input \(index) held the connection")
      client.shutdown()
    }
    let started = Date()
    let answer = try responder.connect().request(FastCGIClient.request(method: "GET", uri: "/health"))
    #expect(answer.status == 200)
    #expect(Date().timeIntervalSince(started) < 6)
    #expect(responder.process.isRunning, "\(responder.process.stderr)")
  }

  @Test("a stalled web server holds a worker for at most the I/O timeout")
  func stalledPeer() throws {
    let serve = try ServingResponder("stall", options: ["--workers", "1", "--io-timeout", "1"])
    let path = serve.socketPath
    let stalled = try FastCGIClient(socket: path)
    // Half a request: the only worker starts reading it, then waits.
    try stalled.send(
      FastCGIClient.beginRequest(keepConnection: true)
        + FastCGIClient.record(.params, FastCGIClient.encodeParams([("REQUEST_METHOD", "GET")])))
    usleep(100_000)
    let started = Date()
    let answer = try FastCGIClient(socket: path, timeoutSeconds: 20).request(
      FastCGIClient.request(method: "GET", uri: "/health"))
    #expect(answer.status == 200)
    // Answered once the stalled request timed out (1 s), long before the client's 20 s.
    #expect(Date().timeIntervalSince(started) < 8, "answered after the stalled request timed out")
    #expect(stalled.isClosedByPeer(), "the stalled connection was closed")
    #expect(serve.process.isRunning)
  }

  @Test("a web server hanging up before the answer (SIGPIPE) does not kill the responder")
  func hangUps() throws {
    let responder = try ServingResponder("pipe")
    for _ in 0..<25 {
      let client = try responder.connect()
      try client.send(FastCGIClient.request(method: "GET", uri: "/health"))
      client.shutdown()
    }
    let big = try responder.connect()
    try big.send(FastCGIClient.request(method: "POST", uri: "/handle-payment", body: Self.acceptedPayment.body))
    big.shutdown()
    usleep(300_000)
    #expect(responder.process.isRunning, "\(responder.process.stderr)")
    let answer = try responder.connect().request(FastCGIClient.request(method: "GET", uri: "/health"))
    #expect(answer.status == 200)
  }

  @Test(
    "a stop signal: no new connections, the request in flight is answered, database closed, exit 0",
    arguments: [SIGTERM, SIGINT, SIGQUIT])
  func gracefulStop(_ signal: Int32) throws {
    let responder = try ServingResponder("sig\(signal)")
    let idle = try responder.connect()
    #expect(try idle.request(FastCGIClient.request(method: "GET", uri: "/health")).status == 200)
    let client = try responder.connect()
    let request = FastCGIClient.request(method: "POST", uri: "/handle-payment", body: Self.acceptedPayment.body)
    let split = request.count - 100
    try client.send(Array(request[..<split]))
    usleep(200_000)
    responder.process.signal(signal)
    #expect(
      ChildProcess.waitUntil(seconds: 5) { !FileManager.default.fileExists(atPath: responder.socketPath) },
      "the socket is removed")
    #expect((try? responder.connect()) == nil, "no new connections")
    #expect(idle.isClosedByPeer(), "an idle kept connection is closed")
    usleep(200_000)
    try client.send(Array(request[split...]))
    let answer = try client.readResponse()
    #expect(answer.status == 200, "\(answer.text)")
    #expect(answer.json?["accept"] == true)
    #expect(responder.process.waitForExit(seconds: 10) == 0, "\(responder.process.stderr)")
    #expect(try responder.storedEventIDs().contains(Self.acceptedPayment.eventID))
    let wal = responder.directory.appendingPathComponent("events.db-wal").path
    let walSize = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
    #expect(walSize == 0, "the WAL was checkpointed")
  }

  @Test("a stop closes idle connections the web server keeps open at once, not 2 s each")
  func stopWithKeptConnections() throws {
    let responder = try ServingResponder("kept")
    // As Apache's connection pool does: connections that served a request and stay open,
    // the web server never closing its side.
    let kept = try (0..<8).map { _ in try responder.connect() }
    for client in kept {
      #expect(try client.request(FastCGIClient.request(method: "GET", uri: "/health")).status == 200)
    }
    responder.process.signal(SIGTERM)
    // libfcgi's lingering close waits up to 2 s per connection: 16 s for these eight.
    #expect(responder.process.waitForExit(seconds: 8) == 0, "not stopped in 8 s: \(responder.process.stderr)")
    for client in kept { #expect(client.isClosedByPeer()) }
  }

  @Test("a stop answers payments in flight on kept connections at once, not 2 s each")
  func stopWithPaymentsInFlight() throws {
    let responder = try ServingResponder("inflight")
    let payment = FastCGIClient.request(method: "POST", uri: "/handle-payment", body: Self.acceptedPayment.body)
    // 48 connections: each is a chance to catch a worker between writing a /health answer and
    // re-arming its connection when the stop comes — it closed the connection as idle with the
    // payment unread (a reset, the payment lost: seen under load before the fix).
    let clients = try (0..<48).map { _ in try responder.connect() }
    // Kept connections (FCGI_KEEP_CONN) whose client never closes first, as a web server's
    // pool: every answer written after the stop began used to linger 2 s on its connection.
    // Each has served a request already, so the server holds it (a connection still in the
    // listen backlog when the stop closes the listener is reset, not served: a different case).
    for client in clients {
      #expect(try client.request(FastCGIClient.request(method: "GET", uri: "/health")).status == 200)
    }
    for client in clients { try client.send(payment) }
    let stopped = Date()
    responder.process.signal(SIGTERM)
    for client in clients {
      let answer = try client.readResponse()
      #expect(answer.status == 200, "\(answer.text)")
    }
    // One after another, 2 s each, they took 40 s and more.
    let answered = Date().timeIntervalSince(stopped)
    #expect(answered < 8, "the answers took \(answered) s after the stop")
    #expect(responder.process.waitForExit(seconds: 8) == 0, "not stopped in 8 s: \(responder.process.stderr)")
  }

  @Test("--listen HOST:PORT serves FastCGI over TCP")
  func tcpListener() throws {
    let port = TestEnvironment.freePort()
    let responder = try ServingResponder("tcp", listener: ["--listen", "127.0.0.1:\(port)"])
    #expect(responder.process.stderr.contains("tcp:127.0.0.1:\(port)"))
    let answer = try FastCGIClient(tcpPort: port).request(FastCGIClient.request(method: "GET", uri: "/health"))
    #expect(answer.status == 200)
  }

  @Test("FCGI_WEB_SERVER_ADDRS: TCP peers outside the list are refused")
  func webServerAddresses() throws {
    let port = TestEnvironment.freePort()
    let refusing = try ServingResponder(
      "addrs", listener: ["--listen", "127.0.0.1:\(port)"], variables: ["FCGI_WEB_SERVER_ADDRS": "10.9.9.9"])
    let client = try FastCGIClient(tcpPort: port)
    try? client.send(FastCGIClient.request(method: "GET", uri: "/health"))
    #expect(client.isClosedByPeer())
    #expect(refusing.process.stderr.contains("FCGI_WEB_SERVER_ADDRS"))
    let otherPort = TestEnvironment.freePort()
    let allowing = try ServingResponder(
      "addrs2", listener: ["--listen", "\(otherPort)"], variables: ["FCGI_WEB_SERVER_ADDRS": "10.9.9.9, 127.0.0.1"])
    _ = allowing
    let answer = try FastCGIClient(tcpPort: otherPort).request(FastCGIClient.request(method: "GET", uri: "/health"))
    #expect(answer.status == 200)
  }

  @Test("no listener: with neither --socket nor --listen and no socket on fd 0, one line and exit 1")
  func noListener() throws {
    let responder = try ServingResponder("nolisten", listener: [], waitForSocket: false)
    #expect(responder.process.waitForExit(seconds: 10) == 1)
    #expect(responder.process.stderr.contains("fd 0 is not a listening socket"), "\(responder.process.stderr)")
  }

  @Test("a second responder on a socket in use refuses to start")
  func socketInUse() throws {
    let first = try ServingResponder("inuse")
    let second = try ServingResponder("inuse2", listener: ["--socket", first.socketPath], waitForSocket: false)
    #expect(second.process.waitForExit(seconds: 10) == 1)
    #expect(second.process.stderr.contains("already listening"), "\(second.process.stderr)")
    #expect(try first.connect().request(FastCGIClient.request(method: "GET", uri: "/health")).status == 200)
  }

  @Test("a second responder on a DATA_DIR in use refuses to start, naming the first one's pid; the first serves on")
  func dataDirectoryInUse() throws {
    let first = try ServingResponder("datainuse")
    let second = try ServingResponder(
      "datainuse2", variables: ["DATA_DIR": first.directory.path], waitForSocket: false)
    #expect(second.process.waitForExit(seconds: 10) == 1)
    #expect(
      second.process.stderr.contains(
        "ERROR: DATA_DIR: \(first.directory.path)/events.db is in use by process \(first.process.pid) "),
      "\(second.process.stderr)")
    #expect(try first.connect().request(FastCGIClient.request(method: "GET", uri: "/health")).status == 200)
  }

  @Test("serve on its own logs its configuration without run's nginx port (BLS_PORT), and where it listens")
  func configurationLineWithoutRunPort() throws {
    let responder = try ServingResponder("confline", variables: ["BLS_PORT": "4321"])
    let line = try #require(responder.process.stderr.split(separator: "\n").first { $0.contains("configuration: ") })
    #expect(!line.contains("port="), "\(line)")
    #expect(responder.process.stderr.contains("serving on unix:\(responder.socketPath)"), "\(responder.process.stderr)")
  }
}
