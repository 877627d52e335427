import BLSApp
import BLSTestSupport
import ExtrasBase64
import Foundation
import JSON
import Nostr
import TOON
import Testing

@Suite("bls-fcgi tool subcommands")
struct ToolCommandTests {
  @Test(
    "every subcommand has --help",
    arguments: [
      [], ["run"], ["serve"], ["healthcheck"], ["toon"], ["toon", "decode"], ["toon", "encode"], ["keygen"],
      ["payload"],
    ])
  func help(_ path: [String]) throws {
    let result = try CLIRunner.run(path + ["--help"])
    #expect(result.status == 0)
    #expect(result.stdoutText.contains("USAGE:"))
  }

  @Test func toonDecodeWritesCompactJSON() throws {
    let result = try CLIRunner.run(["toon", "decode"], stdin: Data("a: 1\nb[2]: x,y\nc:\n  d: \"e f\"\n".utf8))
    #expect(result.status == 0)
    #expect(result.stdoutText == #"{"a":1,"b":["x","y"],"c":{"d":"e f"}}"# + "\n")
  }

  @Test(
    "invalid TOON: exit 1, one line naming line and column",
    arguments: [
      ("a: 1\n  b: 2\n", "line 2"), ("items[3]: a,b\n", "line 1"), ("a: \"unterminated\n", "line 1"),
    ])
  func toonDecodeErrors(_ input: String, _ line: String) throws {
    let result = try CLIRunner.run(["toon", "decode"], stdin: Data(input.utf8))
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(result.stderr)")
    #expect(result.stderr.contains(line) && result.stderr.contains("column"), "\(result.stderr)")
  }

  @Test func illFormedUTF8IsAnError() throws {
    let result = try CLIRunner.run(["toon", "decode"], stdin: Data([0x61, 0x3A, 0x20, 0xC3, 0x28, 0x0A]))
    #expect(result.status == 1)
    #expect(result.stderr.contains("UTF-8"))
  }

  @Test func toonEncodeRoundTripsAnEvent() throws {
    let event = NostrEvent.signed(
      secretKey: SecretKey.generate(), createdAt: 1_700_000_000, kind: 1, tags: [["t", "a,b"], ["p", "x: y"]],
      content: "line one\nline \"two\"\t\u{1}")
    let json = Data(event.jsonValue.serializedBytes)
    let encoded = try CLIRunner.run(["toon", "encode"], stdin: json)
    #expect(encoded.status == 0)
    let decoded = try CLIRunner.run(["toon", "decode"], stdin: encoded.stdout)
    #expect(decoded.status == 0)
    let back = try NostrEvent(json: JSONValue.parse(Array(decoded.stdout)))
    #expect(back == event)
    try back.verify()
  }

  @Test func toonEncodeRejectsInvalidJSON() throws {
    let result = try CLIRunner.run(["toon", "encode"], stdin: Data("{\"a\":".utf8))
    #expect(result.status == 1)
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  @Test func keygenPrintsAFreshValidKeyPair() throws {
    func pair() throws -> (String, String) {
      let result = try CLIRunner.run(["keygen"])
      #expect(result.status == 0)
      var values: [String: String] = [:]
      for line in result.stdoutText.split(separator: "\n") {
        let parts = line.split(separator: "=", maxSplits: 1)
        values[String(parts[0])] = String(parts[1])
      }
      return (values["NOSTR_SECRET_KEY"] ?? "", values["PUBKEY"] ?? "")
    }
    let (secret, pubkey) = try pair()
    #expect(try SecretKey(hex: secret).publicKey.hex == pubkey)
    #expect(try pair().0 != secret)
  }

  @Test func payloadIsAcceptedByTheDecision() throws {
    let key = SecretKey.generate()
    let result = try CLIRunner.run([
      "payload", "--secret-key", key.revealHex(), "--kind", "30023", "--content", "article",
      "--tag", "d,slug", "--tag", "t,news", "--price-per-byte", "7", "--destination", "g.example.bls",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let body = try JSONValue.parse(Array(result.stdout))
    let toon = try Base64.decode(string: body["data"]!.stringValue!)
    #expect(body["amount"]?.stringValue == "\(toon.count * 7)")
    #expect(body["destination"] == "g.example.bls")
    let event = try NostrEvent(json: TOONDecoder().decode(toon))
    #expect(event.kind == 30023 && event.tags == [["d", "slug"], ["t", "news"]] && event.pubkey == key.publicKey.hex)

    let configuration = try BLSConfiguration.fromEnvironment(
      Environment([
        "NODE_ID": "n", "NOSTR_SECRET_KEY": SecretKey.generate().revealHex(), "ILP_ADDRESS": "g.example.bls",
        "BLS_BASE_PRICE_PER_BYTE": "7",
      ]))
    let app = BLSApplication(configuration: configuration, store: InMemoryEventStore())
    let accept = app.handle(HTTPRequest(method: "POST", path: "/handle-payment", body: Array(result.stdout)))
    #expect(accept.status == 200)
  }

  @Test func payloadCountPrintsDistinctEvents() throws {
    let result = try CLIRunner.run(["payload", "--secret-key", SecretKey.generate().revealHex(), "--count", "5"])
    #expect(result.status == 0)
    let lines = result.stdoutText.split(separator: "\n")
    #expect(lines.count == 5)
    #expect(Set(lines.map { try! JSONValue.parse(String($0))["data"]!.stringValue! }).count == 5)
  }

  @Test func payloadRejectsABadKeyInOneLine() throws {
    let result = try CLIRunner.run(["payload", "--secret-key", "00"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("--secret-key"))
    #expect(!result.stderr.contains("00\n"))
  }

  @Test("the binary reads a VAR_FILE from disk: BLS_PORT_FILE's port is the one healthcheck asks")
  func variableFromFile() throws {
    let path = "/tmp/bls-port-file-\(UInt64.random(in: 0...UInt64.max))"
    try "1\n".write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try CLIRunner.run(
      ["healthcheck", "--timeout", "1"], environment: ["BLS_PORT": "", "BLS_PORT_FILE": path])
    #expect(result.status == 1)
    #expect(result.stdoutText.contains("127.0.0.1:1:"), "\(result.stdoutText)")
    let missing = try CLIRunner.run(["healthcheck"], environment: ["BLS_PORT": "", "BLS_PORT_FILE": path + ".missing"])
    #expect(missing.status == 1)
    #expect(
      missing.stdoutText == "ERROR: BLS_PORT_FILE: cannot read \(path).missing: No such file or directory\n",
      "\(missing.stdoutText)")
  }

  @Test(
    "help run / help serve: --workers states its default once (ArgumentParser appended the build machine's count)",
    arguments: ["run", "serve"])
  func workersDefaultOnce(_ command: String) throws {
    let help = try CLIRunner.run(["help", command])
    #expect(help.status == 0)
    let text = help.stdoutText.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
      .joined(separator: " ")
    let options = try #require(text.range(of: "OPTIONS:"))
    let option = try #require(text.range(of: "--workers <workers>", range: options.upperBound..<text.endIndex))
    let after = text[option.upperBound...]
    let paragraph = after.range(of: " --").map { after[..<$0.lowerBound] } ?? after
    #expect(paragraph.contains("default: the cores this process may use"), "\(paragraph)")
    #expect(paragraph.components(separatedBy: "default:").count == 2, "\(paragraph)")
  }
}
