import BLSApp
import Foundation
import Testing

@Suite("Configuration from the environment")
struct ConfigurationTests {
  static let secret = "16b6c6f760f4a342c29f413fa99d658126ef5bd17362aff1eba1eb4af20627bf"
  static let required = ["NODE_ID": "node-a", "NOSTR_SECRET_KEY": secret, "ILP_ADDRESS": "g.example.bls"]

  func load(_ extra: [String: String], files: [String: String] = [:]) throws(ConfigurationError) -> BLSConfiguration {
    let env = Environment(Self.required.merging(extra) { $1 }) { (path: String) throws(FileReadError) -> String in
      guard let text = files[path] else { throw FileReadError(reason: "No such file or directory") }
      return text
    }
    return try BLSConfiguration.fromEnvironment(env)
  }

  func error(_ extra: [String: String], files: [String: String] = [:]) -> String? {
    do {
      _ = try load(extra, files: files)
      return nil
    } catch {
      return error.description
    }
  }

  @Test func defaults() throws {
    let c = try load([:])
    #expect(c.nodeID == "node-a")
    #expect(c.ilpAddress == "g.example.bls")
    #expect(c.port == 3100)
    #expect(c.pricing.basePricePerByte == 10)
    #expect(c.pricing.kindOverrides.isEmpty)
    #expect(c.pricing.ownerPubkey == nil)
    #expect(c.pricing.spspMinPrice == nil)
    #expect(c.storage == .directory("/data"))
    #expect(c.maxEventBytes == 65536)
    #expect(c.publicKeyHex.count == 64)
  }

  @Test func summaryNeverContainsTheSecret() throws {
    let c = try load(["OWNER_PUBKEY": String(repeating: "a", count: 64)])
    #expect(!c.summary.contains(Self.secret))
    #expect(c.summary.contains(c.publicKeyHex))
    #expect(!"\(c)".contains(Self.secret))
  }

  @Test("required variables", arguments: ["NODE_ID", "NOSTR_SECRET_KEY", "ILP_ADDRESS"])
  func missingRequired(_ name: String) {
    let env = Environment(Self.required.filter { $0.key != name })
    #expect(throws: ConfigurationError.self) { try BLSConfiguration.fromEnvironment(env) }
    do {
      _ = try BLSConfiguration.fromEnvironment(env)
    } catch {
      #expect(error.description.hasPrefix("ERROR: \(name): is required"))
    }
    // An empty value counts as unset.
    #expect(error([name: ""])?.hasPrefix("ERROR: \(name): is required") == true)
  }

  @Test func secretKeyRules() throws {
    #expect(
      error(["NOSTR_SECRET_KEY": "abcdef123456"])
        == "ERROR: NOSTR_SECRET_KEY: must be a 64-character hex string, got 12 characters")
    #expect(error(["NOSTR_SECRET_KEY": String(repeating: "g", count: 64)])?.contains("non-hex") == true)
    #expect(
      error(["NOSTR_SECRET_KEY": String(repeating: "0", count: 64)])?.contains("not a valid secp256k1 secret key")
        == true)
    #expect(
      error(["NOSTR_SECRET_KEY": String(repeating: "f", count: 64)])?.contains("not a valid secp256k1 secret key")
        == true)
    // Case-insensitive: the same key in upper case derives the same public key.
    let lower = try load([:]).publicKeyHex
    #expect(try load(["NOSTR_SECRET_KEY": Self.secret.uppercased()]).publicKeyHex == lower)
    // The secret never appears in an error.
    let bad = String(Self.secret.dropLast()) + "z"
    #expect(error(["NOSTR_SECRET_KEY": bad])?.contains(bad) == false)
  }

  @Test(
    "ILP addresses",
    arguments: [
      ("g.a", true), ("g.example.bls-1", true), ("g.", false), ("test.a", false), ("g.a_b", false),
      ("g.a b", false), ("G.a", false), ("g.é", false),
    ])
  func ilpAddress(_ address: String, _ valid: Bool) {
    let message = error(["ILP_ADDRESS": address])
    #expect((message == nil) == valid, "\(address): \(message ?? "accepted")")
    if let message { #expect(message.hasPrefix("ERROR: ILP_ADDRESS: must start with \"g.\"")) }
  }

  @Test(
    "ports",
    arguments: [("1", 1), ("65535", 65535), ("0", nil), ("65536", nil), ("-1", nil), (" 80", nil), ("8o", nil)])
  func port(_ text: String, _ expected: Int?) throws {
    if let expected {
      #expect(try load(["BLS_PORT": text]).port == expected)
    } else {
      #expect(error(["BLS_PORT": text])?.hasPrefix("ERROR: BLS_PORT: must be an integer from 1 to 65535") == true)
    }
  }

  @Test func basePriceAliasesInPrecedenceOrder() throws {
    #expect(try load(["BASE_PRICE_PER_BYTE": "3"]).pricing.basePricePerByte == 3)
    #expect(try load(["BASE_PRICE_PER_BYTE": "3", "RELAY_BASE_PRICE_PER_BYTE": "4"]).pricing.basePricePerByte == 4)
    #expect(
      try load(["BASE_PRICE_PER_BYTE": "3", "RELAY_BASE_PRICE_PER_BYTE": "4", "BLS_BASE_PRICE_PER_BYTE": "5"])
        .pricing.basePricePerByte == 5)
    #expect(try load(["BLS_BASE_PRICE_PER_BYTE": "0"]).pricing.basePricePerByte == 0)
    // The error names the variable that was actually used.
    #expect(
      error(["RELAY_BASE_PRICE_PER_BYTE": "-1"])?.hasPrefix(
        "ERROR: RELAY_BASE_PRICE_PER_BYTE: must be a non-negative integer") == true)
    #expect(error(["BLS_BASE_PRICE_PER_BYTE": "1.5"]) != nil)
    #expect(error(["BLS_BASE_PRICE_PER_BYTE": "1" + String(repeating: "0", count: 31)]) != nil)
  }

  @Test func kindOverrides() throws {
    let c = try load(["BLS_KIND_OVERRIDES": #"{"0":"0","7":1,"30023":"25","1984":"100000000000000000000"}"#])
    #expect(c.pricing.kindOverrides == [0: 0, 7: 1, 30023: 25, 1984: 100_000_000_000_000_000_000])
    #expect(
      try load(["KIND_OVERRIDES": #"{"1":"2"}"#, "RELAY_KIND_OVERRIDES": #"{"1":"3"}"#]).pricing.kindOverrides == [1: 3]
    )
    #expect(
      error(["BLS_KIND_OVERRIDES": "not json"])?.hasPrefix("ERROR: BLS_KIND_OVERRIDES: must be a JSON object") == true)
    #expect(
      error(["BLS_KIND_OVERRIDES": "[1,2]"])?.hasPrefix("ERROR: BLS_KIND_OVERRIDES: must be a JSON object") == true)
    #expect(error(["BLS_KIND_OVERRIDES": #"{"x":"1"}"#])?.contains("key \"x\"") == true)
    #expect(error(["BLS_KIND_OVERRIDES": #"{"70000":"1"}"#])?.contains("0 to 65535") == true)
    #expect(error(["BLS_KIND_OVERRIDES": #"{"1":"-1"}"#])?.contains("non-negative") == true)
    #expect(error(["BLS_KIND_OVERRIDES": #"{"1":1.5}"#])?.contains("non-negative") == true)
    #expect(error(["BLS_KIND_OVERRIDES": #"{"1":true}"#])?.contains("string or number") == true)
  }

  @Test func ownerAndSpsp() throws {
    let upper = String(repeating: "AB", count: 32)
    #expect(try load(["OWNER_PUBKEY": upper]).pricing.ownerPubkey == upper.lowercased())
    #expect(error(["OWNER_PUBKEY": "abc"])?.hasPrefix("ERROR: OWNER_PUBKEY: must be a 64-character hex string") == true)
    #expect(try load(["SPSP_MIN_PRICE": "600"]).pricing.spspMinPrice == 600)
    #expect(error(["SPSP_MIN_PRICE": "x"])?.hasPrefix("ERROR: SPSP_MIN_PRICE: must be a non-negative integer") == true)
  }

  @Test func dataDirectory() throws {
    #expect(try load(["DATA_DIR": "/srv/bls"]).storage == .directory("/srv/bls"))
    #expect(try load(["DATA_DIR": ":memory:"]).storage == .memory)
  }

  @Test func maxEventBytes() throws {
    #expect(try load(["BLS_MAX_EVENT_BYTES": "1024"]).maxEventBytes == 1024)
    #expect(error(["BLS_MAX_EVENT_BYTES": "0"]) != nil)
    #expect(error(["BLS_MAX_EVENT_BYTES": "2000000"]) != nil)
    // The body limit leaves room for the base64 of the largest event.
    let c = try load([:])
    #expect(c.maxRequestBodyBytes >= (65536 + 2) / 3 * 4)
  }

  @Test func fileVariables() throws {
    let files = ["/run/secrets/key": Self.secret + "\n", "/run/secrets/node": "node-from-file\r\n"]
    var env = Self.required
    env["NOSTR_SECRET_KEY"] = nil
    env["NOSTR_SECRET_KEY_FILE"] = "/run/secrets/key"
    env["NODE_ID"] = nil
    env["NODE_ID_FILE"] = "/run/secrets/node"
    let c = try BLSConfiguration.fromEnvironment(
      Environment(env) { (path: String) throws(FileReadError) -> String in
        guard let text = files[path] else { throw FileReadError(reason: "No such file or directory") }
        return text
      })
    #expect(c.nodeID == "node-from-file")
    #expect(c.publicKeyHex == (try load([:]).publicKeyHex))
  }

  @Test func fileVariableErrors() {
    #expect(
      error(["NOSTR_SECRET_KEY_FILE": "/run/secrets/key"], files: ["/run/secrets/key": Self.secret])
        == "ERROR: NOSTR_SECRET_KEY: both NOSTR_SECRET_KEY and NOSTR_SECRET_KEY_FILE are set; set only one")
    #expect(
      error(["BLS_PORT_FILE": "/nope"])
        == "ERROR: BLS_PORT_FILE: cannot read /nope: No such file or directory")
    // An empty file (a secret not mounted, a key never written) names the file, not "required".
    #expect(
      error(["BLS_PORT_FILE": "/p"], files: ["/p": "\n"])
        == "ERROR: BLS_PORT_FILE: /p is empty; it must hold BLS_PORT's value")
    // A bad value read from a file is reported under the _FILE name.
    #expect(
      error(["BLS_PORT_FILE": "/p"], files: ["/p": "99999\n"])?.hasPrefix("ERROR: BLS_PORT_FILE: must be an integer")
        == true)
  }

  @Test("with no file reader given, a VAR_FILE is an error naming it (the core reads no files)")
  func noFileReaderByDefault() {
    var env = Self.required
    env["NOSTR_SECRET_KEY"] = nil
    env["NOSTR_SECRET_KEY_FILE"] = "/run/secrets/key"
    #expect(throws: ConfigurationError.self) { try BLSConfiguration.fromEnvironment(Environment(env)) }
    do {
      _ = try BLSConfiguration.fromEnvironment(Environment(env))
    } catch {
      #expect(error.description == "ERROR: NOSTR_SECRET_KEY_FILE: cannot read /run/secrets/key: no file reader given")
    }
  }

  @Test func requestTimeout() throws {
    #expect(try load([:]).requestTimeoutMillis == 10000)
    #expect(try load(["BLS_REQUEST_TIMEOUT_MS": "100"]).requestTimeoutMillis == 100)
    #expect(try load(["BLS_REQUEST_TIMEOUT_MS": "600000"]).requestTimeoutMillis == 600_000)
    #expect(
      try load(["BLS_REQUEST_TIMEOUT_MS_FILE": "/t"], files: ["/t": "2500\n"]).requestTimeoutMillis == 2500)
    for bad in ["99", "600001", "0", "-1", "1e4", "10 000", "abc", "99999999999999999999999"] {
      #expect(
        error(["BLS_REQUEST_TIMEOUT_MS": bad])
          == "ERROR: BLS_REQUEST_TIMEOUT_MS: must be an integer from 100 to 600000 (milliseconds), got \"\(bad)\"")
    }
    #expect(try load(["BLS_REQUEST_TIMEOUT_MS": "2500"]).summary.contains("requestTimeoutMs=2500"))
  }

  @Test("BLS_COMMIT_DELAY_US: 0 (off) to 10000, default 300")
  func commitDelay() throws {
    #expect(try load([:]).commitDelay.microseconds == 300)
    #expect(try load(["BLS_COMMIT_DELAY_US": "0"]).commitDelay == .off)
    #expect(try load(["BLS_COMMIT_DELAY_US": "10000"]).commitDelay.microseconds == 10000)
    for bad in ["10001", "-1", "1ms", "99999999999999999999999999999999999999999"] {
      #expect(
        error(["BLS_COMMIT_DELAY_US": bad])
          == "ERROR: BLS_COMMIT_DELAY_US: must be an integer from 0 to 10000 (microseconds), got \"\(bad)\"")
    }
    #expect(try load(["BLS_COMMIT_DELAY_US": "150"]).summary.contains("commitDelayUs=150"))
  }

  @Test func authToken() throws {
    let token = "0123456789abcdef"
    #expect(try load([:]).authToken == nil)
    let c = try load(["BLS_AUTH_TOKEN": token])
    #expect(c.authToken != nil)
    #expect(c.authToken?.isPresented(in: "Bearer \(token)") == true)
    #expect(try load(["BLS_AUTH_TOKEN": String(repeating: "~", count: 4096)]).authToken != nil)
    // The _FILE form, trailing newline removed.
    let fromFile = try load(["BLS_AUTH_TOKEN_FILE": "/run/secrets/token"], files: ["/run/secrets/token": token + "\n"])
    #expect(fromFile.authToken == c.authToken)
    // Never shown: not in the summary, the description or a dump.
    var dumped = ""
    dump(c, to: &dumped)
    for text in [c.summary, "\(c)", String(reflecting: c), dumped] {
      #expect(!text.contains(token))
    }
    #expect(c.summary.contains("authToken=set"))
    #expect(try load([:]).summary.contains("authToken=unset"))
  }

  @Test(
    "a bad BLS_AUTH_TOKEN stops start-up without echoing it",
    arguments: [
      ("short-token-15c", "got 15 characters"), (String(repeating: "a", count: 4097), "got 4097 characters"),
      ("has a space in the middle", "got a space or a character that is not printable ASCII"),
      ("tab\tinside-the-token", "got a space or a character that is not printable ASCII"),
      ("non-ascii-tokén-value", "got a space or a character that is not printable ASCII"),
    ])
  func badAuthToken(_ token: String, _ why: String) throws {
    let message = error(["BLS_AUTH_TOKEN": token])
    #expect(message == "ERROR: BLS_AUTH_TOKEN: must be 16 to 4096 printable ASCII characters without spaces, \(why)")
    #expect(message?.contains(token) == false)
  }
}
