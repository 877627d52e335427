import BLSMetrics
import Glibc

/// What the two payment endpoints decided, counted without a lock (one atomic add per
/// counter; issue 13): requests per endpoint, outcome and ILP code, the revenue accepted, and
/// how long each decision took. The application records every decision of
/// `/handle-payment` and `/handle-packet` here just before the answer is sent; refusals
/// before an endpoint sees the request (401, 404, 405) and the transport's own (413, 408)
/// are not decisions and are not counted.
public final class RequestMetrics: MetricsSource {
  /// The endpoints whose decisions are counted.
  public enum Endpoint: Int, Sendable, CaseIterable {
    case payment, packet

    /// The `endpoint` label.
    public var label: String {
      switch self {
      case .payment: "handle-payment"
      case .packet: "handle-packet"
      }
    }
  }

  /// The outcomes of a decision, in page order: an accept (`code=""`), then each ILP code a
  /// reject can carry.
  static let codes: [ILPRejectCode?] = [
    nil, .badRequest, .invalidAmount, .unexpectedPayment, .transferTimedOut, .internalError,
  ]

  private let requests: [Counter]
  private let durations: [Histogram]
  private let amount = WideCounter()
  /// Monotonic nanoseconds, for durations.
  let now: @Sendable () -> UInt64

  /// - Parameter now: a monotonic clock in nanoseconds (injectable for tests).
  public init(now: @escaping @Sendable () -> UInt64 = RequestMetrics.monotonicNanoseconds) {
    self.now = now
    requests = (0..<(Endpoint.allCases.count * Self.codes.count)).map { _ in Counter() }
    durations = Endpoint.allCases.map { _ in Histogram.seconds() }
  }

  /// An accept on `endpoint` of a request started at `started` (``now``), paying `amount`
  /// (0 for an owner's event sent without a valid amount, and for a transit notification).
  public func accepted(_ endpoint: Endpoint, amount paid: UInt64, started: UInt64) {
    requests[endpoint.rawValue * Self.codes.count].add()
    if paid > 0 { amount.add(paid) }
    durations[endpoint.rawValue].observe(now() &- started)
  }

  /// A reject with `code` on `endpoint` of a request started at `started`.
  public func rejected(_ endpoint: Endpoint, _ code: ILPRejectCode, started: UInt64) {
    requests[endpoint.rawValue * Self.codes.count + Self.index(code)].add()
    durations[endpoint.rawValue].observe(now() &- started)
  }

  /// Requests counted on `endpoint` with `code` (`nil`: accepts).
  public func count(_ endpoint: Endpoint, _ code: ILPRejectCode?) -> UInt64 {
    requests[endpoint.rawValue * Self.codes.count + (code.map(Self.index) ?? 0)].value
  }

  /// The sum of the amounts accepted.
  public var amountAccepted: UInt128 { amount.value }

  private static func index(_ code: ILPRejectCode) -> Int {
    switch code {
    case .badRequest: 1
    case .invalidAmount: 2
    case .unexpectedPayment: 3
    case .transferTimedOut: 4
    case .internalError: 5
    }
  }

  /// `bls_requests_total` (every series, zeros included, so a dashboard's rates start at
  /// once), `bls_amount_accepted_total` and `bls_request_duration_seconds`.
  public func write(to page: inout MetricsText) {
    page.family(
      "bls_requests_total", .counter,
      help: "Decisions of the payment endpoints by endpoint, outcome (accept or reject) and ILP code of a reject.")
    for endpoint in Endpoint.allCases {
      for code in Self.codes {
        page.sample(
          "bls_requests_total",
          [
            ("endpoint", endpoint.label), ("outcome", code == nil ? "accept" : "reject"),
            ("code", code?.rawValue ?? ""),
          ],
          String(count(endpoint, code)))
      }
    }
    page.single(
      "bls_amount_accepted_total", .counter,
      help: "Sum of the amounts of accepted payments (revenue, in the asset's smallest unit).",
      String(amountAccepted))
    page.family(
      "bls_request_duration_seconds", .histogram,
      help:
        "Time from a payment request reaching the application to its decision (an accept once the event is on disk).")
    for endpoint in Endpoint.allCases {
      page.histogram(
        "bls_request_duration_seconds", [("endpoint", endpoint.label)], durations[endpoint.rawValue].snapshot)
    }
  }

  /// `CLOCK_MONOTONIC` in nanoseconds.
  public static let monotonicNanoseconds: @Sendable () -> UInt64 = {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
  }
}
