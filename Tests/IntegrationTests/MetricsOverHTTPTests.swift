import BLSTestSupport
import Foundation
import JSON
import Nostr
import TOON
import Testing

/// `GET /metrics` through the real stack (issue 13): known traffic through nginx, then the page
/// equals what was answered and what the table holds; who may read it; and the examples/ that
/// name its metrics.
@Suite("GET /metrics over HTTP and FastCGI", .serialized)
struct MetricsOverHTTPTests {
  /// A freshly signed event's `data` (base64 TOON).
  static func data(kind: Int = 1, content: String = "metrics \(UUID().uuidString)") -> String {
    let event = NostrEvent.signed(
      secretKey: .generate(), createdAt: Int64(Date().timeIntervalSince1970), kind: kind, content: content)
    return Data(TOONEncoder().encodeBytes(event.jsonValue)).base64EncodedString()
  }

  static func payment(_ data: String, amount: String) -> [UInt8] {
    let body: JSONValue = ["amount": .string(amount), "destination": "g.example.bls", "data": .string(data)]
    return body.serializedBytes
  }

  static func packet(_ data: String, amount: String) -> [UInt8] {
    let expires = ISO8601DateFormatter().string(from: Date().addingTimeInterval(60))
    let body: JSONValue = [
      "paymentId": "m-1", "destination": "g.example.bls", "amount": .string(amount), "expiresAt": .string(expires),
      "data": .string(data),
    ]
    return body.serializedBytes
  }

  static func page(_ answer: HTTPAnswer) throws -> MetricsPage {
    try #require(answer.status == 200, "\(answer.status) \(answer.text)")
    #expect(answer.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
    return try #require(MetricsPage(answer.text), "not the text format: \(answer.text)")
  }

  @Test("known traffic through nginx: the page equals the answers and the rows")
  func reconcilesThroughNginx() throws {
    let stack = try RunningStack("metrics-http", variables: PaymentCase.environment(profile: "defaults"))
    let connection = try stack.connect()
    let json = [("Content-Type", "application/json")]
    let first = Self.data()
    var sent: [(path: String, body: [UInt8], status: Int, code: String)] = [
      ("/handle-payment", Self.payment(first, amount: "100000000"), 200, ""),
      ("/handle-payment", Self.payment(Self.data(), amount: "18446744073709551615"), 200, ""),
      ("/handle-payment", Self.payment(first, amount: "100000000"), 200, ""),  // duplicate
      ("/handle-payment", Self.payment(Self.data(), amount: "1"), 400, "F06"),
      ("/handle-payment", Array("{\"amount\":".utf8), 400, "F00"),
      ("/handle-packet", Self.packet(Self.data(), amount: "100000000"), 200, ""),
      ("/handle-packet", Self.packet(Self.data(), amount: "-5"), 200, "F03"),
    ]
    for _ in 0..<5 { sent.append(("/handle-payment", Self.payment(Self.data(), amount: "100000000"), 200, "")) }
    for request in sent {
      let answer = try connection.request("POST", request.path, headers: json, body: request.body)
      #expect(answer.status == request.status, "\(request.path): \(answer.text)")
      let code = (try? JSONValue.parse(answer.body))?.objectValue?["code"]?.stringValue ?? ""
      #expect(code == request.code, "\(request.path): \(answer.text)")
    }

    let page = try Self.page(try connection.request("GET", "/metrics"))
    #expect(page.requests("handle-payment", "") == 8)
    #expect(page.requests("handle-payment", "F06") == 1)
    #expect(page.requests("handle-payment", "F00") == 1)
    #expect(page.requests("handle-packet", "") == 1)
    #expect(page.requests("handle-packet", "F03") == 1)
    #expect(page.integer("bls_amount_accepted_total") == UInt128(UInt64.max) + 8 * 100_000_000)
    let rows = try stack.storedEventIDs().count
    #expect(rows == 8)
    #expect(page.integer("bls_events_stored_total") == UInt128(rows))
    #expect(page.integer("bls_events_duplicate_total") == 1)
    #expect(page.integer("bls_events_superseded_total") == 0)
    #expect(page.integer("bls_commit_batch_size_sum") == 9)
    #expect((page.integer("bls_connections") ?? 0) >= 1)
    #expect((page.integer("process_resident_memory_bytes") ?? 0) > 1_000_000)
    #expect((page.integer("process_open_fds") ?? 0) > 3)
    let started = try #require(page.samples["process_start_time_seconds"].flatMap(Double.init))
    #expect(abs(started - Date().timeIntervalSince1970) < 3600)
    #expect(page.samples["process_cpu_seconds_total"].flatMap(Double.init) != nil)

    // examples/ name only metrics this page has.
    let families = Set(page.types.keys)
    let dashboard = try JSONValue.parse(Array(try Data(contentsOf: Self.example("grafana-bls.json"))))
    let expressions = Self.expressions(in: dashboard)
    #expect(expressions.count >= 10)
    let dashboardNames = expressions.reduce(into: Set<String>()) { $0.formUnion(MetricsPage.referencedNames(in: $1)) }
    #expect(dashboardNames.subtracting(families).isEmpty, "unknown: \(dashboardNames.subtracting(families))")
    #expect(dashboardNames.contains("bls_requests_total") && dashboardNames.contains("bls_amount_accepted_total"))
    let scrape = try String(contentsOf: Self.example("prometheus.yml"), encoding: .utf8)
    #expect(Self.yamlProblems(scrape).isEmpty, "\(Self.yamlProblems(scrape))")
    #expect(scrape.contains("metrics_path: /metrics"))
    let scrapeNames = MetricsPage.referencedNames(in: scrape)
    #expect(scrapeNames.subtracting(families).isEmpty, "unknown: \(scrapeNames.subtracting(families))")
  }

  @Test("a non-loopback client gets 403 by default; BLS_METRICS_ALLOW lets it in")
  func allowList() throws {
    let closed = try ServingResponder("metrics-closed")
    let outsider = FastCGIClient.request(method: "GET", uri: "/metrics", extra: [("REMOTE_ADDR", "203.0.113.9")])
    let denied = try closed.connect().request(outsider)
    #expect(denied.status == 403)
    let body = try JSONValue.parse(denied.body).objectValue
    #expect(body?["accept"] == .bool(false))
    #expect(body?["code"]?.stringValue == "F00")
    let local = FastCGIClient.request(method: "GET", uri: "/metrics", extra: [("REMOTE_ADDR", "127.0.0.1")])
    #expect(try closed.connect().request(local).status == 200)
    let unknown = FastCGIClient.request(method: "GET", uri: "/metrics")
    #expect(try closed.connect().request(unknown).status == 403)

    let open = try ServingResponder("metrics-open", variables: ["BLS_METRICS_ALLOW": "203.0.113.0/24"])
    let allowed = try open.connect().request(outsider)
    #expect(allowed.status == 200)
    #expect(MetricsPage(allowed.text)?.samples["bls_writer_queue_depth"] == "0")
  }

  @Test("an invalid BLS_METRICS_ALLOW stops serve at start with one line")
  func invalidAllowList() throws {
    let responder = try ServingResponder(
      "metrics-invalid", variables: ["BLS_METRICS_ALLOW": "10.0.0.0/99"], waitForSocket: false)
    #expect(ChildProcess.waitUntil(seconds: 10) { !responder.process.isRunning })
    let lines = responder.process.stderr.split(separator: "\n").filter { $0.contains("BLS_METRICS_ALLOW") }
    #expect(lines.count == 1)
    #expect(lines.first?.contains("10.0.0.0/99") == true)
  }

  static func example(_ name: String) -> URL {
    TestEnvironment.repositoryRoot.appendingPathComponent("examples").appendingPathComponent(name)
  }

  /// Every `expr` string in a Grafana dashboard.
  static func expressions(in value: JSONValue) -> [String] {
    switch value {
    case .object(let object):
      return object.flatMap { member -> [String] in
        if member.key == "expr", case .string(let text) = member.value { return [text] }
        return expressions(in: member.value)
      }
    case .array(let items): return items.flatMap(expressions(in:))
    default: return []
    }
  }

  /// Lines of a YAML file outside the block-mapping subset a scrape config needs (two-space
  /// indents, `key: value`, `key:`, `- item`), with their numbers.
  static func yamlProblems(_ text: String) -> [String] {
    var problems: [String] = []
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let content = line.drop { $0 == " " }
      if content.isEmpty || content.hasPrefix("#") { continue }
      let indent = line.count - content.count
      let item = content.hasPrefix("- ") ? content.dropFirst(2) : content
      let isMapping = item.range(of: #"^[a-z_]+:( .+)?$"#, options: .regularExpression) != nil
      let isScalar = content.hasPrefix("- ") && !item.contains(": ")
      if indent % 2 != 0 || line.contains("\t") || !(isMapping || isScalar) {
        problems.append("line \(number + 1): \(line)")
      }
    }
    return problems
  }
}
