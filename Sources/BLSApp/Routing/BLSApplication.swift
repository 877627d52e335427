import Glibc
import JSON
import Nostr
import Threads

/// The HTTP contract of docs/contract.md as one function from ``HTTPRequest`` to
/// ``HTTPResponse``: no sockets, so it is tested in-process. Thread-safe; transports call
/// ``handle(_:respond:)`` from many worker threads at once.
///
/// Routes: `GET /health`, `POST /handle-payment`, `POST /handle-packet`. Any other path is a
/// 404 and a wrong method a 405 (with `Allow`), both JSON in the reject shape.
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

  /// - Parameter clock: current Unix time in milliseconds (injectable for tests).
  public init(
    configuration: BLSConfiguration, store: any EventStore,
    clock: @escaping @Sendable () -> Int64 = BLSApplication.systemMillis
  ) {
    self.configuration = configuration
    self.store = store
    let decider = PaymentDecider(
      pricing: configuration.pricing, maxEventBytes: configuration.maxEventBytes,
      maxTags: configuration.maxTags, store: store)
    self.payment = PaymentHandler(decider: decider)
    self.packet = PacketHandler(decider: decider)
    self.clock = clock
    (healthPrefix, healthSuffix) = Self.healthTemplate(configuration, storage: store.storageDescription)
  }

  /// Answers one request without waiting for the store: returns the response when it is
  /// ready at once (everything but a payment that reaches step 10), else `nil`, and then
  /// `respond` is called exactly once, from the store's thread, when the payment's event is
  /// durable. What a server calls so that no thread waits while the disk syncs.
  public func handle(_ request: HTTPRequest, respond: @escaping HTTPResponder) -> HTTPResponse? {
    switch request.path {
    case "/health":
      guard request.method == "GET" || request.method == "HEAD" else {
        return Self.methodNotAllowed(request, allow: "GET, HEAD")
      }
      return health()
    case "/handle-payment":
      guard request.method == "POST" else { return Self.methodNotAllowed(request, allow: "POST") }
      return payment.handle(request, now: clock(), respond: respond)
    case "/handle-packet":
      guard request.method == "POST" else { return Self.methodNotAllowed(request, allow: "POST") }
      return packet.handle(request, now: clock(), respond: respond)
    default:
      return Self.error(
        404, "Not found: \(request.path) (endpoints: GET /health, POST /handle-payment, POST /handle-packet)")
    }
  }

  /// ``handle(_:respond:)``, waiting for a deferred answer: for tools and tests, so the one
  /// path the server takes is the one they exercise.
  public func handle(_ request: HTTPRequest) -> HTTPResponse {
    let later = BlockingQueue<HTTPResponse>()
    return handle(request) { later.push($0) } ?? later.pop()!
  }

  /// GET /health: 200 with status, nodeId, pubkey, ilpAddress, timestamp (Unix ms), plus the
  /// storage in use and the version. Everything but the timestamp is serialized once, at init.
  func health() -> HTTPResponse {
    var body = healthPrefix
    body.append(contentsOf: String(clock()).utf8)
    body.append(contentsOf: healthSuffix)
    return HTTPResponse(status: 200, headers: [(name: "Content-Type", value: "application/json")], body: body)
  }

  /// The `/health` body around its timestamp: `{"status":…,"timestamp":` and `,"storage":…}`.
  static func healthTemplate(_ configuration: BLSConfiguration, storage: String) -> (prefix: [UInt8], suffix: [UInt8]) {
    let marker = "\u{0}timestamp\u{0}"
    let template: JSONValue = [
      "status": "healthy",
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
