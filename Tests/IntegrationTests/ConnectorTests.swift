import BLSTestSupport
import Foundation
import JSON
import Nostr
import TOON
import Testing
import Threads

/// BLS through nginx as the real connector drives it (``ConnectorDouble``): what the sender of
/// each packet gets, and what is in the rows afterwards.
@Suite("the connector's view: /handle-packet over HTTP through nginx", .serialized)
struct ConnectorTests {
  /// The price per byte of the stacks started here (the `defaults` profile).
  static let pricePerByte = 10

  static func stack(_ label: String, _ extra: [String: String] = [:]) throws -> RunningStack {
    try RunningStack(label, variables: PaymentCase.environment(profile: "defaults").merging(extra) { _, new in new })
  }

  /// A freshly signed kind-1 event as TOON bytes, with its id.
  static func event(_ content: String = "paid storage \(UUID().uuidString)") -> (toon: [UInt8], id: String) {
    let event = NostrEvent.signed(
      secretKey: .generate(), createdAt: Int64(Date().timeIntervalSince1970), kind: 1, content: content)
    return (TOONEncoder().encodeBytes(event.jsonValue), event.id)
  }

  @Test("a paid event: FULFILL with SHA-256(data), the condition holds, the event is stored")
  func paidEventIsFulfilled() throws {
    let stack = try Self.stack("connector-paid")
    let connector = ConnectorDouble(handlerURL: "http://127.0.0.1:\(stack.port)")
    #expect(connector.isHealthy())
    let (toon, id) = Self.event()
    let outcome = connector.deliver(.init(amount: String(toon.count * Self.pricePerByte), data: toon))
    #expect(outcome == .fulfill(fulfillment: SHA256.hash(toon), data: []))
    #expect(try stack.storedEventIDs().contains(id))
  }

  @Test("underpaid, badly signed and expired packets: the sender's codes, nothing stored")
  func rejectedPacketsStoreNothing() throws {
    let stack = try Self.stack("connector-rejects")
    let connector = ConnectorDouble(handlerURL: "http://127.0.0.1:\(stack.port)")
    let (toon, id) = Self.event()
    let underpaid = connector.deliver(.init(amount: String(toon.count * Self.pricePerByte - 1), data: toon))
    #expect(underpaid.rejectCode == "F06")
    var forged = toon
    forged[forged.count - 3] ^= 1  // inside the signature's hex: still TOON, no longer valid
    #expect(connector.deliver(.init(amount: "100000000", data: forged)).rejectCode == "F00")
    #expect(connector.deliver(.init(amount: "100000000", data: toon, expiresIn: -1)).rejectCode == "R00")
    #expect(try !stack.storedEventIDs().contains(id))
  }

  @Test("LOCAL_DELIVERY_URL with a trailing slash: //handle-packet and //health work")
  func trailingSlash() throws {
    let stack = try Self.stack("connector-slash")
    let connector = ConnectorDouble(handlerURL: "http://127.0.0.1:\(stack.port)/")
    #expect(connector.isHealthy())
    let (toon, id) = Self.event()
    let outcome = connector.deliver(.init(amount: String(toon.count * Self.pricePerByte), data: toon))
    #expect(outcome == .fulfill(fulfillment: SHA256.hash(toon), data: []))
    #expect(try stack.storedEventIDs().contains(id))
  }

  @Test("a malformed amount is F03; an underpayment carries the price the sender must pay")
  func amountCodesAndQuote() throws {
    let stack = try Self.stack("connector-codes")
    let connector = ConnectorDouble(handlerURL: "http://127.0.0.1:\(stack.port)")
    let (toon, id) = Self.event()
    #expect(connector.deliver(.init(amount: "12abc", data: toon)).rejectCode == "F03")
    #expect(connector.deliver(.init(amount: "18446744073709551616", data: toon)).rejectCode == "F03")
    let required = toon.count * Self.pricePerByte
    guard case .reject("F06", _, let data) = connector.deliver(.init(amount: "1", data: toon)) else {
      Issue.record("an underpayment is F06")
      return
    }
    let quote = try JSONValue.parse(data)
    #expect(quote["required"] == .string(String(required)), "\(quote)")
    #expect(quote["received"] == "1")
    #expect(quote["bytes"]?.numberValue?.int64Value == Int64(toon.count))
    #expect(try !stack.storedEventIDs().contains(id))
    // The sender retries once with the quoted amount.
    let retried = connector.deliver(.init(amount: String(required), data: toon))
    #expect(retried == .fulfill(fulfillment: SHA256.hash(toon), data: []))
  }

  @Test("the connector gives up while BLS is stalled: R00 for the sender and the event is never stored")
  func abandonedWhileStalled() throws {
    let stack = try Self.stack("connector-abandon")
    let responder = try #require(stack.childPID("responder"))
    var connector = ConnectorDouble(handlerURL: "http://127.0.0.1:\(stack.port)")
    connector.timeoutMilliseconds = 1500
    let (toon, id) = Self.event()
    kill(responder, SIGSTOP)
    let outcome = connector.deliver(.init(amount: String(toon.count * Self.pricePerByte), data: toon))
    usleep(300_000)  // nginx notices its client left and closes the FastCGI connection
    kill(responder, SIGCONT)
    #expect(outcome.rejectCode == "R00", "\(outcome)")
    // The responder, running again, finds the request and the hang-up together: it does not
    // store the event. A later payment still works.
    usleep(500_000)
    #expect(try !stack.storedEventIDs().contains(id), "stored although the sender was told R00")
    connector.timeoutMilliseconds = 10_000
    let (next, nextID) = Self.event()
    #expect(connector.deliver(.init(amount: String(next.count * Self.pricePerByte), data: next)).rejectCode == nil)
    #expect(try stack.storedEventIDs().contains(nextID))
  }

  @Test("BLS_AUTH_TOKEN: payments need the Bearer token (401 JSON otherwise), /health stays open")
  func authToken() throws {
    let token = "s3cret-token-for-tests-0123456789"
    let stack = try Self.stack("connector-auth", ["BLS_AUTH_TOKEN": token])
    let connector = ConnectorDouble(handlerURL: "http://127.0.0.1:\(stack.port)")
    #expect(connector.isHealthy())
    let (toon, id) = Self.event()
    // Today's connector sends no Authorization header: it sees a non-2xx answer, T00.
    #expect(connector.deliver(.init(amount: "100000000", data: toon)).rejectCode == "T00")
    let body = Array(
      #"{"amount":"100000000","destination":"g.x","data":"\#(Data(toon).base64EncodedString())"}"#.utf8)
    let refused = try stack.connect().request("POST", "/handle-payment", body: body)
    #expect(refused.status == 401)
    #expect(refused.json?["accept"] == false)
    #expect(!refused.text.contains(token))
    let paid = try stack.connect().request(
      "POST", "/handle-payment", headers: [("Authorization", "Bearer \(token)")], body: body)
    #expect(paid.status == 200, "\(paid.text)")
    #expect(try stack.storedEventIDs().contains(id))
  }

  @Test(
    "a stalled disk past BLS_REQUEST_TIMEOUT_MS: the payment in the committing batch is stored, the one waiting is T00 and not stored"
  )
  func stalledDiskPastTheDeadline() throws {
    let stack = try Self.stack("connector-stall", ["BLS_REQUEST_TIMEOUT_MS": "1000"])
    let database = stack.dataDirectory.appendingPathComponent("events.db").path
    // Another process holds the database's write lock: the writer's commit waits for it.
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    holder.arguments = [database]
    let input = Pipe()
    holder.standardInput = input
    holder.standardOutput = FileHandle.nullDevice
    try holder.run()
    input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\n".utf8))
    usleep(300_000)
    let (first, firstID) = Self.event()
    let (second, secondID) = Self.event()
    let answers = Locked<[String: HTTPAnswer]>([:])
    func post(_ toon: [UInt8], _ name: String) -> Thread {
      let body = Array(
        #"{"amount":"\#(toon.count * Self.pricePerByte)","destination":"g.x","data":"\#(Data(toon).base64EncodedString())"}"#
          .utf8)
      let thread = Thread {
        if let answer = try? HTTPConnection(port: stack.port, timeoutSeconds: 20).request(
          "POST", "/handle-payment", body: body)
        {
          answers.withLock { $0[name] = answer }
        }
      }
      thread.start()
      return thread
    }
    _ = post(first, "first")  // taken into a batch: its commit waits on the lock
    usleep(300_000)
    _ = post(second, "second")  // queued behind it, past its deadline by the time the batch forms
    usleep(2_000_000)
    input.fileHandleForWriting.write(Data("COMMIT;\n.quit\n".utf8))
    holder.waitUntilExit()
    #expect(ChildProcess.waitUntil(seconds: 10) { answers.withLock { $0.count } == 2 })
    let (a, b) = answers.withLock { ($0["first"], $0["second"]) }
    #expect(a?.status == 200, "the batch already committing is stored and accepted: \(a?.text ?? "none")")
    #expect(b?.status == 500 && b?.json?["code"] == "T00", "\(b?.text ?? "none")")
    #expect(b?.text.contains("Timed out before storing") == true, "\(b?.text ?? "none")")
    let stored = try stack.storedEventIDs()
    #expect(stored.contains(firstID))
    #expect(!stored.contains(secondID), "stored although the payment was answered T00")
  }

  @Test("a connector that sends the execution condition: a packet that could not be fulfilled is F00 and not stored")
  func executionCondition() throws {
    let stack = try Self.stack("connector-condition")
    var connector = ConnectorDouble(handlerURL: "http://127.0.0.1:\(stack.port)")
    connector.sendsCondition = true
    let (toon, id) = Self.event()
    var unfulfillable = ConnectorDouble.Packet(amount: String(toon.count * Self.pricePerByte), data: toon)
    unfulfillable.executionCondition = SHA256.hash(Array("another packet".utf8))
    #expect(connector.deliver(unfulfillable).rejectCode == "F00")
    #expect(try !stack.storedEventIDs().contains(id))
    let payable = ConnectorDouble.Packet(amount: String(toon.count * Self.pricePerByte), data: toon)
    #expect(connector.deliver(payable) == .fulfill(fulfillment: SHA256.hash(toon), data: []))
    #expect(try stack.storedEventIDs().contains(id))
  }

  @Test("the legacy body on /handle-packet (crosstown's callers): decided like /handle-payment, 200, both shapes")
  func legacyBody() throws {
    let stack = try Self.stack("connector-legacy")
    let (toon, id) = Self.event()
    let data = Data(toon).base64EncodedString()
    let paid = try stack.connect().request(
      "POST", "//handle-packet", headers: [("Content-Type", "application/json")],
      body: Array(
        #"{"amount":"\#(toon.count * Self.pricePerByte)","destination":"g.x","data":"\#(data)","sourceAccount":"g.peer"}"#
          .utf8))
    #expect(paid.status == 200)
    #expect(paid.json?["accept"] == true)
    #expect(paid.json?["fulfillment"]?.stringValue == Data(SHA256.hash(Array(id.utf8))).base64EncodedString())
    #expect(paid.json?["metadata"]?["eventId"]?.stringValue == id)
    let underpaid = try stack.connect().request(
      "POST", "/handle-packet", headers: [("Content-Type", "application/json")],
      body: Array(#"{"amount":"1","destination":"g.x","data":"\#(data)"}"#.utf8))
    #expect(underpaid.status == 200)
    #expect(underpaid.json?["code"] == "F06")
    #expect(underpaid.json?["rejectReason"]?["code"] == "unexpected_payment")
    #expect(try stack.storedEventIDs().contains(id))
  }
}
