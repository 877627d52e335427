import BLSMetrics
import Glibc
import JSON
import Nostr
import Threads

/// The HTTP contract of docs/contract.md as one function from ``HTTPRequest`` to
/// ``HTTPResponse``: no sockets, so it is tested in-process. Thread-safe; transports call
/// ``handle(_:respond:)`` from many worker threads at once.
///
/// Routes (``Route``; runs of `/` in a path are merged first): `GET /health`, `GET /pricing`,
/// `POST /handle-payment`, `POST /handle-packet`, and `GET /metrics` (Prometheus text, to the
/// clients `BLS_METRICS_ALLOW` allows; ``metricsPage(_:)``). Any other path is a 404 and a
/// wrong method a 405 (with `Allow`); with `BLS_AUTH_TOKEN` set, a payment without the right
/// `Authorization: Bearer` token is a 401 (with `WWW-Authenticate`). All JSON in the reject
/// shape.
public final class BLSApplication: Sendable {
  /// This build's version, reported by `/health`.
  public static let version = "0.1.0"

  public let configuration: BLSConfiguration
  public let store: any EventStore
  let payment: PaymentHandler
  let packet: PacketHandler
  let clock: @Sendable () -> Int64
  let healthPrefix: [UInt8]
  let healthSuffix: [UInt8]
  let pricingBody: [UInt8]
  /// The `/metrics` page's sources: this application's first, adapters' added at start.
  public let metrics: MetricsRegistry
  /// The payment endpoints' decisions (issue 13).
  public let requestMetrics: RequestMetrics

  /// - Parameter clock: current Unix time in milliseconds (injectable for tests). Read when a
  ///   request arrives (unless the transport says when), when it is decided, and when a store
  ///   reports a deadline passed; never elsewhere.
  public init(
    configuration: BLSConfiguration, store: any EventStore,
    clock: @escaping @Sendable () -> Int64 = BLSApplication.systemMillis,
    requestMetrics: RequestMetrics = RequestMetrics()
  ) {
    self.configuration = configuration
    self.store = store
    self.requestMetrics = requestMetrics
    metrics = Self.registry(requestMetrics)
    let decider = PaymentDecider(
      pricing: configuration.pricing, maxEventBytes: configuration.maxEventBytes,
      maxTags: configuration.maxTags, store: store, createdAtWindow: configuration.createdAtWindow, clock: clock)
    self.payment = PaymentHandler(
      decider: decider, timeoutMillis: configuration.requestTimeoutMillis, clock: clock,
      metrics: requestMetrics)
    self.packet = PacketHandler(
      decider: decider, timeoutMillis: configuration.requestTimeoutMillis, clock: clock, metrics: requestMetrics)
    self.clock = clock
    (healthPrefix, healthSuffix) = Self.healthTemplate(configuration, storage: store.storageDescription)
    pricingBody = PricingDocument.body(configuration)
  }

  /// Answers one request without waiting for the store: returns the response when it is
  /// ready at once (everything but a payment that reaches step 10), else `nil`, and then
  /// `respond` is called exactly once, from the store's thread, when the payment's event is
  /// durable. What a server calls so that no thread waits while the disk syncs. The request
  /// counts as arrived now; see ``handle(_:receivedAt:respond:)``.
  public func handle(_ request: HTTPRequest, respond: @escaping HTTPResponder) -> HTTPResponse? {
    handle(request, receivedAt: clock(), respond: respond)
  }

  /// ``handle(_:respond:)`` for a request that arrived at `receivedAt` (Unix ms, this
  /// application's clock): a transport that queues requests before handling them passes when
  /// it received each, so the time queued counts against `BLS_REQUEST_TIMEOUT_MS`.
  public func handle(
    _ request: HTTPRequest, receivedAt: Int64, respond: @escaping HTTPResponder
  ) -> HTTPResponse? {
    let route = Route(path: request.path)
    if let refusal = refusal(request, route) { return refusal }
    switch route {
    case .payment: return payment.handle(request, arrival: receivedAt, respond: respond)
    case .packet: return packet.handle(request, arrival: receivedAt, respond: respond)
    case .metrics: return metricsPage(request)
    default: return answerAtOnce(route)
    }
  }

  /// ``handle(_:respond:)``, waiting for a deferred answer: for tools and tests, so the one
  /// path the server takes is the one they exercise.
  public func handle(_ request: HTTPRequest) -> HTTPResponse {
    let later = BlockingQueue<HTTPResponse>()
    return handle(request) { later.push($0) } ?? later.pop()!
  }

  /// The 404, 405 or 401 a request gets before its endpoint sees it, if any.
  func refusal(_ request: HTTPRequest, _ route: Route) -> HTTPResponse? {
    if route == .unknown {
      return Self.error(
        404,
        "Not found: \(request.path) (endpoints: GET /health, GET /pricing, POST /handle-payment, POST /handle-packet)")
    }
    guard route.allowedMethods.contains(request.method) else {
      return Self.methodNotAllowed(request, allow: route.allowedMethods.joined(separator: ", "))
    }
    if route.takesPayments, let token = configuration.authToken {
      let authorization = request.headers["authorization"]
      if !token.isPresented(in: authorization) {
        return Self.unauthorized(presented: authorization != nil)
      }
    }
    return nil
  }

  /// The endpoints that never wait: `/health` and `/pricing`.
  private func answerAtOnce(_ route: Route) -> HTTPResponse {
    route == .pricing
      ? HTTPResponse(status: 200, headers: [(name: "Content-Type", value: "application/json")], body: pricingBody)
      : health()
  }

  /// GET /health: 200 with status, nodeId, pubkey, ilpAddress, timestamp (Unix ms), plus the
  /// storage in use and the version. Everything but the timestamp is serialized once, at init.
  /// While the store is unavailable (``EventStore/isAvailable``: its database is unreachable)
  /// the same body with `"status":"unavailable"` and HTTP 503, so load balancers and readiness
  /// probes take the node out.
  func health() -> HTTPResponse {
    let available = store.isAvailable
    var body =
      available
      ? healthPrefix
      : Self.healthTemplate(configuration, storage: store.storageDescription, status: "unavailable").prefix
    body.append(contentsOf: String(clock()).utf8)
    body.append(contentsOf: healthSuffix)
    return HTTPResponse(
      status: available ? 200 : 503, headers: [(name: "Content-Type", value: "application/json")], body: body)
  }

  /// The `/health` body around its timestamp: `{"status":…,"timestamp":` and `,"storage":…}`.
  static func healthTemplate(
    _ configuration: BLSConfiguration, storage: String, status: String = "healthy"
  ) -> (prefix: [UInt8], suffix: [UInt8]) {
    let marker = "\u{0}timestamp\u{0}"
    let template: JSONValue = [
      "status": .string(status),
      "nodeId": .string(configuration.nodeID),
      "pubkey": .string(configuration.publicKeyHex),
      "ilpAddress": .string(configuration.ilpAddress),
      "timestamp": .string(marker),
      "storage": .string(storage),
      "version": .string(Self.version),
    ]
    var quotedMarker: [UInt8] = []
    JSONWriter.appendQuoted(marker, to: &quotedMarker)
    let bytes = template.serializedBytes
    let start = bytes.firstRange(of: quotedMarker)!
    return (Array(bytes[..<start.lowerBound]), Array(bytes[start.upperBound...]))
  }

  /// A JSON error in the reject shape: `{"accept":false,"code":…,"message":…}`, with code
  /// T00 for 5xx statuses and F00 otherwise. Also the shape of the transport's own refusals
  /// (a 413 body, a 400 CONTENT_LENGTH), which `bls-fcgi serve` wires into the server.
  public static func error(_ status: Int, _ message: String) -> HTTPResponse {
    .json(
      status,
      ["accept": false, "code": .string(status >= 500 ? "T00" : "F00"), "message": .string(message)])
  }

  /// 401 for a payment without the right bearer token (RFC 6750 §3): `WWW-Authenticate:
  /// Bearer`, with `error="invalid_token"` when a token was presented. The body never
  /// repeats what was presented.
  static func unauthorized(presented: Bool) -> HTTPResponse {
    var response = error(
      401, "Unauthorized: this endpoint requires the header Authorization: Bearer <the token set in BLS_AUTH_TOKEN>")
    response.headers.append((name: "WWW-Authenticate", value: presented ? "Bearer error=\"invalid_token\"" : "Bearer"))
    return response
  }

  static func methodNotAllowed(_ request: HTTPRequest, allow: String) -> HTTPResponse {
    var response = error(405, "Method \(request.method) not allowed on \(request.path); use \(allow)")
    response.headers.append((name: "Allow", value: allow))
    return response
  }

  /// Current Unix time in milliseconds from the system clock.
  public static let systemMillis: @Sendable () -> Int64 = {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
  }
}
