/// The endpoints of docs/contract.md, matched on a path as clients write it.
enum Route: Equatable {
  case health
  case pricing
  case payment
  case packet
  /// `GET /metrics` (issue 13): Prometheus text, to allowed clients only.
  case metrics
  /// Anything else: 404.
  case unknown

  /// The route for `path`: the query (if a transport left one) is ignored and runs of `/` are
  /// merged first, so `//handle-packet` (what a connector configured with a trailing slash,
  /// `LOCAL_DELIVERY_URL=http://bls:3100/`, posts) and `//health` find their endpoints. Case
  /// and a trailing slash still matter: `/HEALTH` and `/health/` are unknown.
  init(path: String) {
    switch Self.normalized(path) {
    case "/health": self = .health
    case "/pricing": self = .pricing
    case "/handle-payment": self = .payment
    case "/handle-packet": self = .packet
    case "/metrics": self = .metrics
    default: self = .unknown
    }
  }

  /// `path` without its query, each run of `/` written once.
  static func normalized(_ path: String) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(path.utf8.count)
    for b in path.utf8 {
      if b == UInt8(ascii: "?") { break }
      if b == UInt8(ascii: "/"), bytes.last == UInt8(ascii: "/") { continue }
      bytes.append(b)
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The methods the endpoint answers, for `Allow`.
  var allowedMethods: [String] {
    switch self {
    case .health, .pricing, .metrics: ["GET", "HEAD"]
    case .payment, .packet: ["POST"]
    case .unknown: []
    }
  }

  /// Whether the endpoint takes payments, and so needs `BLS_AUTH_TOKEN` when one is set.
  var takesPayments: Bool {
    self == .payment || self == .packet
  }
}
