import BLSApp
import ExtrasBase64
import Glibc
import JSON
import Nostr
import TOON

// bls-micro: ns/op of each step of the /handle-payment hot path, then of whole requests
// through BLSApplication (no transport), then of the durable store.
//
//   bls-micro [--filter SUBSTRING] [--quick] [--iterations N] [--no-store] [--store-dir DIR]
//
// --iterations N runs each selected benchmark exactly N times, once: under
// `valgrind --tool=callgrind` the difference of two such runs gives instructions per op,
// a figure that does not depend on what else the machine is doing.

var harness = Harness()
var storeDirectory = "/var/tmp"
var runStore = true
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
  switch argument {
  case "--filter": harness.filter = arguments.next()
  case "--quick":
    harness.roundTime = .milliseconds(50)
    harness.rounds = 3
  case "--iterations": harness.fixedIterations = arguments.next().flatMap { Int($0) }
  case "--no-store": runStore = false
  case "--store-dir": storeDirectory = arguments.next() ?? storeDirectory
  case "-h", "--help":
    print("usage: bls-micro [--filter SUBSTRING] [--quick] [--iterations N] [--no-store] [--store-dir DIR]")
    exit(0)
  default:
    print("unknown argument \(argument)")
    exit(2)
  }
}

let typical = Fixture.typical
let large = Fixture.large
print(
  "bls-micro: typical event \(typical.toon.count) B TOON (\(typical.body.count) B body), large \(large.toon.count) B TOON"
)
print(Harness.header())

// MARK: Steps of the hot path, in request order

for fixture in [typical, large] {
  let suffix = " (\(fixture.name))"
  let body = fixture.body
  harness.run("json.parse request" + suffix) { n in
    for _ in 0..<n { blackHole(try! JSONParser(maxDepth: 16).parse(body)) }
  }
  let base64 = fixture.base64
  harness.run("base64.decode data" + suffix) { n in
    for _ in 0..<n { blackHole(try! Base64.decode(string: base64)) }
  }
  let toon = fixture.toon
  harness.run("toon.decode" + suffix) { n in
    for _ in 0..<n {
      var decoder = TOONDecoder()
      decoder.maxDepth = 4
      blackHole(try! decoder.decode(toon))
    }
  }
  let json = fixture.json
  harness.run("nostr.event from JSON" + suffix) { n in
    for _ in 0..<n { blackHole(try! NostrEvent(json: json)) }
  }
  let event = fixture.event
  harness.run("nip01.serialize" + suffix) { n in
    for _ in 0..<n { blackHole(event.serializationForID) }
  }
  harness.run("nip01.serialize+sha256" + suffix) { n in
    for _ in 0..<n { blackHole(event.computedIDBytes) }
  }
  harness.run("nostr.verify (id + bip340)" + suffix, note: "author's key cached") { n in
    for _ in 0..<n { try! event.verify() }
  }
  harness.run("json.write event" + suffix) { n in
    for _ in 0..<n { blackHole(json.serializedBytes) }
  }
  harness.run("toon.encode" + suffix) { n in
    for _ in 0..<n { blackHole(TOONEncoder().encodeBytes(json)) }
  }
}

let signatureBytes = Hex.decode(typical.event.sig)!
let digest = typical.event.computedIDBytes
let publicKey = try! XOnlyPublicKey(hex: typical.event.pubkey)
harness.run("bip340.verify (libsecp256k1)") { n in
  for _ in 0..<n { blackHole(Schnorr.verify(signature: signatureBytes, message: digest, publicKey: publicKey)) }
}
let pubkeyHex = typical.event.pubkey
harness.run("bip340.parse x-only pubkey") { n in
  for _ in 0..<n { blackHole(try! XOnlyPublicKey(hex: pubkeyHex)) }
}
harness.run("sha256 (32 B)") { n in
  for _ in 0..<n { blackHole(SHA256.hash(digest)) }
}

// MARK: Whole requests through BLSApplication (no transport; the store answers at once)

let configuration = BLSConfiguration(
  nodeID: "bench", secretKey: Fixture.key, ilpAddress: "g.bench.node", storage: .directory("/nonexistent"))
let application = BLSApplication(configuration: configuration, store: NullStore())
let health = HTTPRequest(method: "GET", path: "/health")
harness.run("app GET /health") { n in
  for _ in 0..<n { blackHole(application.handle(health)) }
}
for fixture in [typical, large] {
  let accept = HTTPRequest(
    method: "POST", path: "/handle-payment", headers: ["content-type": "application/json"], body: fixture.body)
  harness.run("app /handle-payment accept (\(fixture.name))", note: "store: no-op") { n in
    for _ in 0..<n { blackHole(application.handle(accept)) }
  }
}
let underpaid = HTTPRequest(
  method: "POST", path: "/handle-payment", headers: ["content-type": "application/json"],
  body: Fixture.body(toon: typical.toon, amount: "1"))
harness.run("app /handle-payment underpaid") { n in
  for _ in 0..<n { blackHole(application.handle(underpaid)) }
}
var badSignature = typical.event
badSignature.sig = String(badSignature.sig.dropLast()) + (badSignature.sig.hasSuffix("0") ? "1" : "0")
let badSignatureRequest = HTTPRequest(
  method: "POST", path: "/handle-payment", headers: ["content-type": "application/json"],
  body: Fixture.body(toon: TOONEncoder().encodeBytes(badSignature.jsonValue), amount: "100000"))
harness.run("app /handle-payment bad signature") { n in
  for _ in 0..<n { blackHole(application.handle(badSignatureRequest)) }
}

// MARK: The durable store

if runStore {
  StoreBenchmarks(directory: storeDirectory).run(&harness)
}
