import BLSApp
import BLSTestSupport
import Foundation
import JSON
import Nostr
import Testing

extension PaymentCase {
  var request: HTTPRequest {
    HTTPRequest(
      method: method, path: path, headers: Dictionary(headers) { _, last in last }, body: body)
  }
}

@Suite("payment-cases.json, in-process")
struct PaymentCaseTests {
  @Test("every case answers as contract.md says", arguments: PaymentCase.all)
  func paymentCase(_ testCase: PaymentCase) throws {
    let configuration = try BLSConfiguration.fromEnvironment(Environment(testCase.environment))
    let store = InMemoryEventStore()
    let app = BLSApplication(configuration: configuration, store: store, clock: { 1_700_000_000_000 })
    let response = app.handle(testCase.request)
    let results = testCase.expectations.map {
      PaymentCase.mismatches(status: response.status, body: response.body, $0)
    }
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
