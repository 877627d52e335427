import JSON
import Nostr

/// POST /handle-payment (docs/contract.md): the reference's dialect.
///
/// Accept: HTTP 200 `{"accept":true,"fulfillment":…,"metadata":{"eventId":…,"storedAt":…}}`.
/// Reject: HTTP 400 (F00, F06) or 500 (T00) `{"accept":false,"code":…,"message":…}`, with
/// `metadata: {required, received}` for F06.
struct PaymentHandler: Sendable {
  let decider: PaymentDecider
  /// `BLS_REQUEST_TIMEOUT_MS`.
  let timeoutMillis: Int
  /// The application's clock (Unix ms), read when the payment is decided.
  let clock: @Sendable () -> Int64
  /// Where each decision is counted.
  let metrics: RequestMetrics

  /// Decides a request that arrived at `arrival` (Unix ms) without waiting for the store: a refusal before step 10 is
  /// returned; otherwise `nil`, and `respond` gets the answer once the event is durable.
  func handle(_ request: HTTPRequest, arrival: Int64, respond: @escaping HTTPResponder) -> HTTPResponse? {
    let started = metrics.now()
    let checked: (event: NostrEvent, deadline: RequestDeadline, now: Int64, paid: UInt64)
    do throws(PaymentFailure) {
      checked = try check(request, arrival: arrival)
    } catch {
      metrics.rejected(.payment, ILPRejectCode(error), started: started)
      return Self.answer(.failure(error))
    }
    // Built here, on the worker, so the store's writer thread only picks the answer.
    let accepted = Self.answer(.success(PaymentDecider.acceptance(checked.event, .stored, now: checked.now)))
    let metrics = metrics
    decider.store(checked.event, deadline: checked.deadline, abandonment: request.abandonment, clock: clock) {
      failure in
      if let failure {
        metrics.rejected(.payment, ILPRejectCode(failure), started: started)
      } else {
        metrics.accepted(.payment, amount: checked.paid, started: started)
      }
      respond(failure.map { Self.reject($0) } ?? accepted)
    }
    return nil
  }

  /// Steps 1–9, then the deadline (arrival + `BLS_REQUEST_TIMEOUT_MS`) at decision time;
  /// `paid` is the amount for the metrics (0 when an owner's free event sent none valid).
  private func check(
    _ request: HTTPRequest, arrival: Int64
  ) throws(PaymentFailure) -> (event: NostrEvent, deadline: RequestDeadline, now: Int64, paid: UInt64) {
    let (data, amount) = try Self.fields(request.body)
    let event = try decider.checkedEvent(data: data, amount: amount)
    let deadline = RequestDeadline(arrival: arrival, timeoutMillis: timeoutMillis)
    let now = clock()
    if let failure = deadline.failure(at: now) { throw failure }
    return (event, deadline, now, (try? Amount.parse(amount)) ?? 0)
  }

  /// The answer to a decision: 200 with the fulfillment, or the reject.
  static func answer(_ decision: Result<PaymentDecider.Acceptance, PaymentFailure>) -> HTTPResponse {
    switch decision {
    case .success(let accepted): .json(200, .object(acceptBody(accepted)))
    case .failure(let failure): reject(failure)
    }
  }

  /// `{"accept":true,"fulfillment":…,"metadata":{"eventId":…,"storedAt":…}}`.
  static func acceptBody(_ accepted: PaymentDecider.Acceptance) -> JSONObject {
    [
      "accept": true,
      "fulfillment": .string(accepted.fulfillment),
      "metadata": ["eventId": .string(accepted.eventID), "storedAt": .number(JSONNumber(accepted.storedAt))],
    ]
  }

  /// Step 1: a JSON object with non-empty `amount`, `destination` and `data`.
  static func fields(_ body: [UInt8]) throws(PaymentFailure) -> (data: String, amount: JSONValue) {
    try fields(parse(body))
  }

  /// The body as JSON; a blank body has no fields, anything else unparsable is malformed.
  static func parse(_ body: [UInt8]) throws(PaymentFailure) -> JSONValue {
    do {
      return try JSONParser(maxDepth: 16).parse(body)
    } catch {
      throw body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 })
        ? .missingFields : .malformedBody(error.description)
    }
  }

  /// Step 1 on a parsed body.
  ///
  /// "Missing" follows the reference's JavaScript truthiness (`!field`): absent, `null`, `""`,
  /// `false`, and the number `0` for `destination` and `data`. An `amount` of `0` is present
  /// (it is an amount, and then too small: F06, as docs/contract.md prefers). `destination` is not
  /// otherwise checked (BLS does not route); `data` must be a string. A body that is not a
  /// JSON object has no fields.
  static func fields(_ json: JSONValue) throws(PaymentFailure) -> (data: String, amount: JSONValue) {
    let object = json.objectValue ?? JSONObject()
    func present(_ name: String) -> JSONValue? {
      switch object[name] {
      case nil, .null?, .string("")?, .bool(false)?: nil
      case .number(let n)? where name != "amount" && n.doubleValue == 0: nil
      case let value?: value
      }
    }
    guard let amount = present("amount"), present("destination") != nil, let data = present("data")
    else { throw .missingFields }
    guard case .string(let dataText) = data else {
      throw .wrongFieldType(field: "data", expected: "a base64 string")
    }
    return (dataText, amount)
  }

  static func reject(_ failure: PaymentFailure) -> HTTPResponse {
    let code = ILPRejectCode(failure)
    var body: JSONObject = ["accept": false, "code": .string(code.rawValue), "message": .string(failure.message)]
    if case .insufficientAmount(let shortfall) = failure {
      body["metadata"] = shortfall.metadata
    }
    return .json(code.httpStatus, .object(body))
  }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self.init(elements.map { (key: $0.0, value: $0.1) })
  }
}
