import BLSTestSupport
import Foundation
import JSON
import Nostr
import TOON
import Testing

/// BLS through nginx as the real connector drives it (``ConnectorDouble``): what the sender of
/// each packet gets, and what is in the rows afterwards.
@Suite("the connector's view: /handle-packet over HTTP through nginx", .serialized)
struct ConnectorTests {
  /// The price per byte of the stacks started here (the `defaults` profile).
  static let pricePerByte = 10

  static func stack(_ label: String, _ extra: [String: String] = [:]) throws -> RunningStack {
    try RunningStack(label, variables: PaymentCase.environment(profile: "defaults").merging(extra) { _, new in new })
  }

  /// A freshly signed kind-1 event as TOON bytes, with its id.
  static func event(_ content: String = "paid storage \(UUID().uuidString)") -> (toon: [UInt8], id: String) {
    let event = NostrEvent.signed(
      secretKey: .generate(), createdAt: Int64(Date().timeIntervalSince1970), kind: 1, content: content)
    return (TOONEncoder().encodeBytes(event.jsonValue), event.id)
  }

  @Test("a paid event: FULFILL with SHA-256(data), the condition holds, the event is stored")
  func paidEventIsFulfilled() throws {
    let stack = try Self.stack("connector-paid")
    let connector = ConnectorDouble(handlerURL: "http://127.0.0.1:\(stack.port)")
    #expect(connector.isHealthy())
    let (toon, id) = Self.event()
    let outcome = connector.deliver(.init(amount: String(toon.count * Self.pricePerByte), data: toon))
    #expect(outcome == .fulfill(fulfillment: SHA256.hash(toon), data: []))
    #expect(try stack.storedEventIDs().contains(id))
  }

  @Test("underpaid, badly signed and expired packets: the sender's codes, nothing stored")
  func rejectedPacketsStoreNothing() throws {
    let stack = try Self.stack("connector-rejects")
    let connector = ConnectorDouble(handlerURL: "http://127.0.0.1:\(stack.port)")
    let (toon, id) = Self.event()
    let underpaid = connector.deliver(.init(amount: String(toon.count * Self.pricePerByte - 1), data: toon))
    #expect(underpaid.rejectCode == "F06")
    var forged = toon
    forged[forged.count - 3] ^= 1  // inside the signature's hex: still TOON, no longer valid
    #expect(connector.deliver(.init(amount: "100000000", data: forged)).rejectCode == "F00")
    #expect(connector.deliver(.init(amount: "100000000", data: toon, expiresIn: -1)).rejectCode == "R00")
    #expect(try !stack.storedEventIDs().contains(id))
  }
}
