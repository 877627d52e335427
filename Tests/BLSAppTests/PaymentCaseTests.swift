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
  @Test("every case answers as docs/contract.md says", arguments: PaymentCase.all)
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

  @Test(
    "the deferred handler (what the server calls) answers every case as handle(_:) does, once",
    arguments: PaymentCase.all)
  func deferredPaymentCase(_ testCase: PaymentCase) throws {
    let configuration = try BLSConfiguration.fromEnvironment(Environment(testCase.environment))
    let direct = BLSApplication(configuration: configuration, store: InMemoryEventStore(), clock: { 1_700_000_000_000 })
    let store = LaterStore()
    let deferred = BLSApplication(configuration: configuration, store: store, clock: { 1_700_000_000_000 })
    let expected = direct.handle(testCase.request)
    let answer = deferredAnswer(deferred, testCase.request)
    #expect(answer.response?.status == expected.status, "\(testCase.id)")
    #expect(answer.response?.body == expected.body, "\(testCase.id)")
    #expect(answer.response?.headers.map(\.name) == expected.headers.map(\.name), "\(testCase.id)")
    // Either answered at once (and `respond` never called) or exactly one later answer.
    #expect(answer.immediate ? answer.responds == 0 : answer.responds == 1, "\(testCase.id)")
    if expected.status == 200 && testCase.path == "/handle-payment" {
      #expect(!answer.immediate, "\(testCase.id): an accept must wait for the store")
    }
    if expected.status != 200 {
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
