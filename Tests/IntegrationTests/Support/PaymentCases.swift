import Foundation
import JSON

/// One case of `vectors/payment-cases.json`, as an HTTP exchange.
struct PaymentCase: Sendable, CustomStringConvertible {
  let json: JSONObject

  static let file = TestEnvironment.sharedJSON("vectors/payment-cases.json")
  static let all: [PaymentCase] = file["cases"]!.arrayValue!.map { PaymentCase(json: $0.objectValue!) }
  static let profiles: [String] = file["profiles"]!.objectValue!.orderedKeys

  static func cases(profile: String) -> [PaymentCase] { all.filter { $0.profile == profile } }

  /// A profile's environment variables.
  static func environment(profile: String) -> [String: String] {
    let env = file["profiles"]![profile]!["env"]!.objectValue!
    return Dictionary(uniqueKeysWithValues: env.map { ($0.key, $0.value.stringValue!) })
  }

  var id: String { json["id"]!.stringValue! }
  var profile: String { json["profile"]!.stringValue! }
  var description: String { id }

  /// `expect` for contract/beyond cases; for contested ones `preferred` when set, else any of
  /// `acceptable`.
  var expectations: [JSONObject] {
    if let expect = json["expect"]?.objectValue { return [expect] }
    if let preferred = json["preferred"]?.objectValue { return [preferred] }
    return json["acceptable"]!.arrayValue!.map { $0.objectValue! }
  }

  var method: String { json["request"]!["method"]!.stringValue! }
  var path: String { json["request"]!["path"]!.stringValue! }

  var headers: [(String, String)] {
    (json["request"]!["headers"]?.objectValue ?? JSONObject()).map { ($0.key, $0.value.stringValue!) }
  }

  /// `request.json` as compact JSON, or the raw bytes of `request.body_base64`.
  var body: [UInt8] {
    let request = json["request"]!.objectValue!
    if let raw = request["body_base64"]?.stringValue { return Array(Data(base64Encoded: raw)!) }
    return request["json"]!.serializedBytes
  }

  /// Sends the case on `connection` and returns the mismatches against every expectation
  /// (empty list = a match).
  func run(on connection: HTTPConnection) throws -> (answer: HTTPAnswer, problems: [[String]]) {
    let answer = try connection.request(method, path, headers: headers, body: body)
    return (answer, expectations.map { Self.mismatches(answer, $0) })
  }

  /// Compares an answer with one expectation: status, accept, code, message or its prefix,
  /// F06 metadata, fulfillment, event id.
  static func mismatches(_ answer: HTTPAnswer, _ expected: JSONObject) -> [String] {
    var problems: [String] = []
    let body = answer.json
    func check(_ what: String, _ actual: JSONValue?, _ wanted: JSONValue?) {
      if let wanted, actual != wanted {
        problems.append("\(what): got \(actual?.serialized ?? "nothing"), want \(wanted.serialized)")
      }
    }
    check("status", .number(JSONNumber(Int64(answer.status))), expected["status"])
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
      problems.append("message \(body?["message"]?.serialized ?? "nothing") lacks prefix \(prefix)")
    }
    return problems
  }
}
