import BLSTestSupport
import Foundation
import JSON
import Testing

/// Every payment case of `vectors/payment-cases.json`, over real HTTP through nginx and the
/// FastCGI responder, each profile against a stack started with that profile's environment
/// and a fresh DATA_DIR.
@Suite("payment-cases.json over HTTP", .serialized)
struct ContractOverHTTPTests {
  @Test("every case of the profile answers as expected", arguments: PaymentCase.profiles)
  func profile(_ profile: String) throws {
    let cases = PaymentCase.cases(profile: profile)
    #expect(!cases.isEmpty)
    let stack = try RunningStack("contract-\(profile)", variables: PaymentCase.environment(profile: profile))
    var connection = try stack.connect()
    var accepted = Set<String>()
    for testCase in cases {
      if connection.isClosed { connection = try stack.connect() }
      let (answer, problems) = try testCase.run(on: connection)
      #expect(
        problems.contains { $0.isEmpty },
        "\(testCase.id): \(problems.map { $0.joined(separator: "; ") }.joined(separator: " | ")) — \(answer.status) \(answer.text)"
      )
      #expect(answer.headers["content-type"] == "application/json", "\(testCase.id): content-type")
      #expect(answer.headers["server"] == "nginx", "\(testCase.id): server_tokens off hides the version")
      if answer.status == 200, let stored = testCase.json["stores_event"]?.stringValue {
        accepted.insert(stored)
      }
    }
    // Accepted events are on disk, readable by another process while the server runs.
    let stored = try stack.storedEventIDs()
    #expect(!accepted.isEmpty || profile != "main")
    for id in accepted.sorted() where !isReplaceableOrAddressable(id, in: cases) {
      #expect(stored.contains(id), "event \(id) was accepted but is not in events.db")
    }
  }

  /// Whether the case storing `id` is for a kind whose newer event may replace it.
  private func isReplaceableOrAddressable(_ id: String, in cases: [PaymentCase]) -> Bool {
    guard let testCase = cases.first(where: { $0.json["stores_event"]?.stringValue == id }),
      let data = testCase.json["request"]?["json"]?["data"]?.stringValue,
      let toon = Data(base64Encoded: data).map({ String(decoding: $0, as: UTF8.self) }),
      let kindLine = toon.split(separator: "\n").first(where: { $0.hasPrefix("kind: ") }),
      let kind = Int(kindLine.dropFirst(6))
    else { return true }
    return kind == 0 || kind == 3 || (10000..<20000).contains(kind) || (30000..<40000).contains(kind)
  }
}
