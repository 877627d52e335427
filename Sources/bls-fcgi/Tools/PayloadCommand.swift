import ArgumentParser
import BLSApp
import ExtrasBase64
import JSON
import Nostr
import ProcessSupport
import TOON

/// `bls-fcgi payload`: a ready `/handle-payment` body for a freshly signed event, for smoke
/// tests and load generation.
struct PayloadCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "payload",
    abstract: "Print a /handle-payment JSON body for a freshly signed Nostr event.",
    discussion: """
      Example:
        bls-fcgi payload --secret-key $(cat key.hex) --content hi --amount auto \\
          | curl -s -H 'Content-Type: application/json' --data-binary @- \\
              http://127.0.0.1:3100/handle-payment
      """)

  @Option(help: "Secret key that signs the event (64 hex).")
  var secretKey: String

  @Option(help: "Event kind (0-65535).")
  var kind = 1

  @Option(help: "Event content.")
  var content = ""

  @Option(name: .customLong("tag"), help: "A tag as comma-separated values, e.g. t,nostr (repeatable).")
  var tags: [String] = []

  @Option(help: "created_at in Unix seconds (default: now).")
  var createdAt: Int64?

  @Option(help: "Amount: a decimal uint64, or 'auto' for exactly the price.")
  var amount = "auto"

  @Option(help: "ILP destination address.")
  var destination = "g.bls.local"

  @Option(help: "Price per byte used by --amount auto.")
  var pricePerByte: UInt64 = 10

  @Option(help: "How many payloads to print, one JSON document per line (distinct events).")
  var count = 1

  func validate() throws {
    guard (0...65535).contains(kind) else { throw ValidationError("--kind must be 0...65535") }
    guard amount == "auto" || UInt64(amount) != nil else {
      throw ValidationError("--amount must be 'auto' or a decimal uint64")
    }
    guard count >= 1 else { throw ValidationError("--count must be at least 1") }
  }

  func run() throws {
    let key: SecretKey
    do {
      key = try SecretKey(hex: secretKey.lowercased())
    } catch {
      StandardIO.fail("payload: --secret-key must be a valid 64-character hex secp256k1 secret key")
    }
    let splitTags = tags.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    let baseTime = createdAt ?? BLSApplication.systemMillis() / 1000
    var output: [UInt8] = []
    for index in 0..<count {
      let text = count == 1 ? content : "\(content) #\(index)"
      let event = NostrEvent.signed(secretKey: key, createdAt: baseTime, kind: kind, tags: splitTags, content: text)
      let toon = Array(TOONEncoder().encode(event.jsonValue).utf8)
      let paid = amount == "auto" ? String(UInt128(toon.count) * UInt128(pricePerByte)) : amount
      let body: JSONValue = [
        "amount": .string(paid), "destination": .string(destination),
        "data": .string(Base64.encodeToString(bytes: toon)),
      ]
      output += body.serializedBytes + [0x0A]
    }
    StandardIO.write(output)
  }
}
