import Foundation
import JSON

/// One case of `vectors/payment-cases.json`: a request, the profile (environment) to run it
/// under, and the answers that count as correct.
public struct PaymentCase: Sendable, CustomStringConvertible {
  public let json: JSONObject

  public static let file: JSONValue = {
    do {
      return try Fixtures.json("vectors/payment-cases.json")
    } catch {
      fatalError("cannot read vectors/payment-cases.json under \(Fixtures.url.path): \(error)")
    }
  }()
  public static let all: [PaymentCase] = file["cases"]!.arrayValue!.map { PaymentCase(json: $0.objectValue!) }
  public static let profiles: [String] = file["profiles"]!.objectValue!.orderedKeys

  public static func cases(profile: String) -> [PaymentCase] { all.filter { $0.profile == profile } }

  /// A profile's environment variables.
  public static func environment(profile: String) -> [String: String] {
    let env = file["profiles"]![profile]!["env"]!.objectValue!
    return Dictionary(uniqueKeysWithValues: env.map { ($0.key, $0.value.stringValue!) })
  }

  public var id: String { json["id"]!.stringValue! }
  public var profile: String { json["profile"]!.stringValue! }
  public var category: String { json["category"]!.stringValue! }
  public var description: String { id }
  public var environment: [String: String] { Self.environment(profile: profile) }

  /// `expect` for contract/beyond cases; for contested ones `preferred` when docs/contract.md states
  /// a choice, else any of `acceptable`.
  public var expectations: [JSONObject] {
    if let expect = json["expect"]?.objectValue { return [expect] }
    if let preferred = json["preferred"]?.objectValue { return [preferred] }
    return json["acceptable"]!.arrayValue!.map { $0.objectValue! }
  }

  public var method: String { json["request"]!["method"]!.stringValue! }
  public var path: String { json["request"]!["path"]!.stringValue! }

  public var headers: [(String, String)] {
    (json["request"]!["headers"]?.objectValue ?? JSONObject()).map { ($0.key, $0.value.stringValue!) }
  }

  /// `request.json` as compact JSON, or the raw bytes of `request.body_base64`.
  public var body: [UInt8] {
    let request = json["request"]!.objectValue!
    if let raw = request["body_base64"]?.stringValue { return Array(Data(base64Encoded: raw)!) }
    return request["json"]!.serializedBytes
  }

  /// Compares an answer with one expectation: status, accept, code, message or its prefix,
  /// F06 metadata, fulfillment, event id. An empty list is a match.
  public static func mismatches(status: Int, body bytes: [UInt8], _ expected: JSONObject) -> [String] {
    var problems: [String] = []
    let body = try? JSONValue.parse(bytes)
    func check(_ what: String, _ actual: JSONValue?, _ wanted: JSONValue?) {
      if let wanted, actual != wanted {
        problems.append("\(what): got \(actual?.serialized ?? "nothing"), want \(wanted.serialized)")
      }
    }
    check("status", .number(JSONNumber(Int64(status))), expected["status"])
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
