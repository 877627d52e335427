import BLSApp
import Foundation
import JSON
import Nostr
import Testing

/// One case of `vectors/payment-cases.json`.
struct PaymentCase: CustomTestStringConvertible, Sendable {
  let json: JSONObject
  var id: String { json["id"]!.stringValue! }
  var testDescription: String { id }
  var profile: String { json["profile"]!.stringValue! }
  var category: String { json["category"]!.stringValue! }

  static let file = SharedVectors.json("vectors/payment-cases.json")
  static let all: [PaymentCase] = file["cases"]!.arrayValue!.map { PaymentCase(json: $0.objectValue!) }

  /// The answers this case accepts: `expect` for contract/beyond, `preferred` when contract.md
  /// states a choice, otherwise any of `acceptable`.
  var expectations: [JSONObject] {
    if let expect = json["expect"]?.objectValue { return [expect] }
    if let preferred = json["preferred"]?.objectValue { return [preferred] }
    return json["acceptable"]!.arrayValue!.map { $0.objectValue! }
  }

  var request: HTTPRequest {
    let r = json["request"]!.objectValue!
    var headers: [String: String] = [:]
    for (name, value) in r["headers"]?.objectValue ?? JSONObject() { headers[name] = value.stringValue }
    let body: [UInt8]
    if let raw = r["body_base64"]?.stringValue {
      body = Array(Data(base64Encoded: raw)!)
    } else {
      body = r["json"]!.serializedBytes
    }
    return HTTPRequest(
      method: r["method"]!.stringValue!, path: r["path"]!.stringValue!, headers: headers, body: body)
  }

  var environment: [String: String] {
    let env = Self.file["profiles"]![profile]!["env"]!.objectValue!
    return Dictionary(uniqueKeysWithValues: env.map { ($0.key, $0.value.stringValue!) })
  }
}

/// Checks `response` against one expectation; returns the mismatches.
func mismatches(_ response: HTTPResponse, _ expected: JSONObject) -> [String] {
  var problems: [String] = []
  let body = try? JSONValue.parse(response.body)
  func check(_ what: String, _ actual: JSONValue?, _ wanted: JSONValue?) {
    if let wanted, actual != wanted {
      problems.append("\(what): got \(actual?.serialized ?? "nothing"), want \(wanted.serialized)")
    }
  }
  check("status", .number(JSONNumber(Int64(response.status))), expected["status"])
  check("accept", body?["accept"], expected["accept"])
  check("code", body?["code"], expected["code"])
  check("message", body?["message"], expected["message"])
  check("fulfillment", body?["fulfillment"], expected["fulfillment"])
  check("eventId", body?["metadata"]?["eventId"], expected["event_id"])
  check("required", body?["metadata"]?["required"], expected["required"])
  check("received", body?["metadata"]?["received"], expected["received"])
  if let prefix = expected["message_prefix"]?.stringValue,
    !(body?["message"]?.stringValue ?? "").hasPrefix(prefix)
  {
    problems.append("message \(body?["message"]?.serialized ?? "nil") lacks prefix \(prefix)")
  }
  return problems
}

@Suite("payment-cases.json, in-process")
struct PaymentCaseTests {
  @Test("every case answers as contract.md says", arguments: PaymentCase.all)
  func paymentCase(_ testCase: PaymentCase) throws {
    let configuration = try BLSConfiguration.fromEnvironment(Environment(testCase.environment))
    let store = InMemoryEventStore()
    let app = BLSApplication(configuration: configuration, store: store, clock: { 1_700_000_000_000 })
    let response = app.handle(testCase.request)
    let results = testCase.expectations.map { mismatches(response, $0) }
    #expect(
      results.contains { $0.isEmpty },
      "\(testCase.id): \(results.map { $0.joined(separator: "; ") }.joined(separator: " | ")) — body \(String(decoding: response.body, as: UTF8.self))"
    )
    #expect(response.headers.contains { $0.name == "Content-Type" && $0.value == "application/json" })
    if let stored = testCase.json["stores_event"]?.stringValue, response.status == 200 {
      #expect(try store.event(id: stored) != nil, "\(testCase.id): event \(stored) not stored")
    }
    if response.status != 200 {
      #expect(try store.query([NostrFilter()]).isEmpty, "\(testCase.id): a rejected payment stored an event")
    }
  }

  @Test func fulfillmentIsSha256OfTheIdText() {
    // sha256("f5f0…93ec" as UTF-8), base64 — the connector's condition is sha256 of this.
    #expect(
      PaymentDecider.fulfillment(eventID: "f5f03c866cd9269b03189cb06db479a3e55d83814d4e7d58f0122d65174593ec")
        == "PaBiZnqQVYJtp1S8HzcFnz4V3Ltm9JZ2cje4tHxkhak=")
  }
}
