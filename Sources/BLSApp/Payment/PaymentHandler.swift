import JSON
import Nostr

/// POST /handle-payment (docs/contract.md): the reference's dialect.
///
/// Accept: HTTP 200 `{"accept":true,"fulfillment":…,"metadata":{"eventId":…,"storedAt":…}}`.
/// Reject: HTTP 400 (F00, F06) or 500 (T00) `{"accept":false,"code":…,"message":…}`, with
/// `metadata: {required, received}` for F06.
struct PaymentHandler: Sendable {
  let decider: PaymentDecider

  /// Answers without waiting for the store: a refusal before step 10 is returned; otherwise
  /// `nil`, and `respond` gets the answer once the event is durable.
  func handle(_ request: HTTPRequest, now: Int64, respond: @escaping HTTPResponder) -> HTTPResponse? {
    let event: NostrEvent
    do throws(PaymentFailure) {
      let (data, amount) = try Self.fields(request.body)
      event = try decider.checkedEvent(data: data, amount: amount)
    } catch {
      return Self.answer(.failure(error))
    }
    // Built here, on the worker, so the store's writer thread only picks the answer.
    let accepted = Self.answer(.success(PaymentDecider.acceptance(event, .stored, now: now)))
    decider.store(event) { failure in respond(failure.map { Self.reject($0) } ?? accepted) }
    return nil
  }

  /// The answer to a decision: 200 with the fulfillment, or the reject.
  static func answer(_ decision: Result<PaymentDecider.Acceptance, PaymentFailure>) -> HTTPResponse {
    switch decision {
    case .success(let accepted):
      .json(
        200,
        [
          "accept": true,
          "fulfillment": .string(accepted.fulfillment),
          "metadata": ["eventId": .string(accepted.eventID), "storedAt": .number(JSONNumber(accepted.storedAt))],
        ])
    case .failure(let failure):
      reject(failure)
    }
  }

  /// Step 1: a JSON object with non-empty `amount`, `destination` and `data`.
  ///
  /// "Missing" follows the reference's JavaScript truthiness (`!field`): absent, `null`, `""`,
  /// `false`, and the number `0` for `destination` and `data`. An `amount` of `0` is present
  /// (it is an amount, and then too small: F06, as docs/contract.md prefers). `destination` is not
  /// otherwise checked (BLS does not route); `data` must be a string. A body that is not a
  /// JSON object has no fields.
  static func fields(_ body: [UInt8]) throws(PaymentFailure) -> (data: String, amount: JSONValue) {
    let json: JSONValue
    do {
      json = try JSONParser(maxDepth: 16).parse(body)
    } catch {
      throw body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 })
        ? .missingFields : .malformedBody(error.description)
    }
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
    if case .insufficientAmount(let required, let received) = failure {
      body["metadata"] = ["required": .string(String(required)), "received": .string(String(received))]
    }
    return .json(code.httpStatus, .object(body))
  }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self.init(elements.map { (key: $0.0, value: $0.1) })
  }
}
