import JSON
import Nostr

extension BLSConfiguration {
  /// Reads and validates every variable of docs/contract.md § Configuration, in one place.
  ///
  /// Aliases, first set wins: `BLS_BASE_PRICE_PER_BYTE` › `RELAY_BASE_PRICE_PER_BYTE` ›
  /// `BASE_PRICE_PER_BYTE`, and `BLS_KIND_OVERRIDES` › `RELAY_KIND_OVERRIDES` ›
  /// `KIND_OVERRIDES`. Each variable may instead come from `VAR_FILE` (see ``Environment``).
  /// The first problem found is thrown as a ``ConfigurationError``.
  public static func fromEnvironment(_ env: Environment) throws(ConfigurationError) -> BLSConfiguration {
    guard let nodeID = try env.value("NODE_ID") else {
      throw ConfigurationError(variable: "NODE_ID", rule: "is required (a non-empty node name)")
    }
    guard let secretHex = try env.value("NOSTR_SECRET_KEY") else {
      throw ConfigurationError(
        variable: "NOSTR_SECRET_KEY", rule: "is required (64 hex characters; `bls-fcgi keygen` makes one)")
    }
    let secretKey = try parseSecretKey(secretHex.value, source: secretHex.source)
    guard let address = try env.value("ILP_ADDRESS") else {
      throw ConfigurationError(variable: "ILP_ADDRESS", rule: "is required (e.g. g.example.bls)")
    }
    try validateILPAddress(address.value, source: address.source)

    var configuration = BLSConfiguration(nodeID: nodeID.value, secretKey: secretKey, ilpAddress: address.value)
    if let port = try env.value("BLS_PORT") {
      guard let n = parseDecimal(port.value), (1...65535).contains(n) else {
        throw ConfigurationError(
          variable: port.source, rule: "must be an integer from 1 to 65535, got \"\(port.value)\"")
      }
      configuration.port = Int(n)
    }
    configuration.pricing = try parsePricing(env)
    if let dir = try env.value("DATA_DIR") {
      configuration.storage = dir.value == ":memory:" ? .memory : .directory(dir.value)
    }
    if let url = try env.value("DATABASE_URL") {
      // Only the scheme is checked here (the rule never echoes the value: it may hold a
      // password); libpq parses the rest when the store opens.
      guard url.value.hasPrefix("postgres://") || url.value.hasPrefix("postgresql://") else {
        throw ConfigurationError(
          variable: url.source,
          rule: "must be a libpq connection URI starting with postgres:// or postgresql://")
      }
      configuration.storage = .postgres(url.value)
    }
    if let limit = try env.value("BLS_MAX_EVENT_BYTES") {
      guard let n = parseDecimal(limit.value), (1...1_048_576).contains(n) else {
        throw ConfigurationError(
          variable: limit.source, rule: "must be an integer from 1 to 1048576, got \"\(limit.value)\"")
      }
      configuration.maxEventBytes = Int(n)
    }
    if let timeout = try env.value("BLS_REQUEST_TIMEOUT_MS") {
      guard let n = parseDecimal(timeout.value), (100...600_000).contains(n) else {
        throw ConfigurationError(
          variable: timeout.source,
          rule: "must be an integer from 100 to 600000 (milliseconds), got \"\(timeout.value)\"")
      }
      configuration.requestTimeoutMillis = Int(n)
    }
    configuration.createdAtWindow = CreatedAtWindow(
      maxFutureSeconds: try parseSeconds(env, "BLS_MAX_FUTURE_SECONDS"),
      maxPastSeconds: try parseSeconds(env, "BLS_MAX_PAST_SECONDS"))
    if let sweep = try env.value("BLS_EXPIRATION_SWEEP_SECONDS") {
      guard let n = parseDecimal(sweep.value), (1...86400).contains(n) else {
        throw ConfigurationError(
          variable: sweep.source, rule: "must be an integer from 1 to 86400 (seconds), got \"\(sweep.value)\"")
      }
      configuration.expirationSweepSeconds = Int(n)
    }
    if let delay = try env.value("BLS_COMMIT_DELAY_US") {
      guard let n = parseDecimal(delay.value), n <= UInt128(CommitDelay.range.upperBound) else {
        throw ConfigurationError(
          variable: delay.source,
          rule: "must be an integer from 0 to 10000 (microseconds), got \"\(delay.value)\"")
      }
      configuration.commitDelay = CommitDelay(microseconds: Int(n))
    }
    if let token = try env.value("BLS_AUTH_TOKEN") {
      // The rule describes the value, never echoes it: it is a secret.
      guard let bearer = BearerToken(token.value) else {
        let count = token.value.count
        let got =
          BearerToken.lengthRange.contains(count)
          ? "a space or a character that is not printable ASCII" : "\(count) characters"
        throw ConfigurationError(
          variable: token.source, rule: "must be 16 to 4096 printable ASCII characters without spaces, got \(got)")
      }
      configuration.authToken = bearer
    }
    try parseMetricsAllow(env, into: &configuration)
    return configuration
  }

  /// A number of seconds from 0 to ``CreatedAtWindow/maxSeconds``, or `nil` when unset.
  static func parseSeconds(_ env: Environment, _ name: String) throws(ConfigurationError) -> Int64? {
    guard let text = try env.value(name) else { return nil }
    guard let n = parseDecimal(text.value), n <= UInt128(CreatedAtWindow.maxSeconds) else {
      throw ConfigurationError(
        variable: text.source,
        rule: "must be an integer from 0 to \(CreatedAtWindow.maxSeconds) (seconds), got \"\(text.value)\"")
    }
    return Int64(n)
  }

  static func parseSecretKey(_ text: String, source: String) throws(ConfigurationError) -> SecretKey {
    guard text.utf8.count == 64 else {
      throw ConfigurationError(
        variable: source, rule: "must be a 64-character hex string, got \(text.count) characters")
    }
    guard text.utf8.allSatisfy(isHexDigit) else {
      throw ConfigurationError(
        variable: source, rule: "must be a 64-character hex string, got a non-hex character")
    }
    do {
      return try SecretKey(hex: text.lowercased())
    } catch {
      throw ConfigurationError(
        variable: source, rule: "is not a valid secp256k1 secret key (zero or not below the curve order)")
    }
  }

  static func validateILPAddress(_ text: String, source: String) throws(ConfigurationError) {
    let bytes = Array(text.utf8)
    let allowed = bytes.dropFirst(2).allSatisfy { b in
      isAlphanumeric(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
    }
    guard text.hasPrefix("g."), bytes.count > 2, bytes.count <= 1023, allowed else {
      throw ConfigurationError(
        variable: source,
        rule:
          "must start with \"g.\" followed by letters, digits, \".\" or \"-\" (at most 1023 characters), got \"\(text)\""
      )
    }
  }

  static func parsePricing(_ env: Environment) throws(ConfigurationError) -> PricingPolicy {
    var pricing = PricingPolicy()
    if let base = try env.firstValue(["BLS_BASE_PRICE_PER_BYTE", "RELAY_BASE_PRICE_PER_BYTE", "BASE_PRICE_PER_BYTE"]) {
      pricing.basePricePerByte = try parsePrice(base.value, source: base.source)
    }
    if let overrides = try env.firstValue(["BLS_KIND_OVERRIDES", "RELAY_KIND_OVERRIDES", "KIND_OVERRIDES"]) {
      (pricing.kindOverrides, pricing.kindRanges) = try parseKindOverrides(overrides.value, source: overrides.source)
    }
    if let owner = try env.value("OWNER_PUBKEY") {
      let lower = owner.value.lowercased()
      guard lower.utf8.count == 64, lower.utf8.allSatisfy(isHexDigit) else {
        throw ConfigurationError(
          variable: owner.source,
          rule: "must be a 64-character hex string (x-only public key), got \(owner.value.count) characters")
      }
      pricing.ownerPubkey = lower
    }
    if let spsp = try env.value("SPSP_MIN_PRICE") {
      pricing.spspMinPrice = try parsePrice(spsp.value, source: spsp.source)
    }
    return pricing
  }

  static func parsePrice(_ text: String, source: String) throws(ConfigurationError) -> UInt128 {
    guard let value = parseDecimal(text), value <= PricingPolicy.maxPricePerByte else {
      throw ConfigurationError(
        variable: source, rule: "must be a non-negative integer of at most 10^30, got \"\(text)\"")
    }
    return value
  }

  /// `BLS_KIND_OVERRIDES`: a JSON object whose keys are a kind (`"30023"`) or an inclusive
  /// range of kinds (`"5000-5999"`), all within 0–65535; ranges must not be reversed or
  /// overlap one another (a kind's own key may sit inside a range: it wins).
  static func parseKindOverrides(
    _ text: String, source: String
  ) throws(ConfigurationError) -> (kinds: [Int: UInt128], ranges: [KindPriceRange]) {
    let json: JSONValue
    do {
      json = try JSONParser(rejectsDuplicateKeys: true).parse(Array(text.utf8))
    } catch {
      throw ConfigurationError(
        variable: source, rule: "must be a JSON object of kind to price, e.g. {\"1\":\"5\"}: \(error)")
    }
    guard let object = json.objectValue else {
      throw ConfigurationError(variable: source, rule: "must be a JSON object of kind to price, e.g. {\"1\":\"5\"}")
    }
    var overrides: [Int: UInt128] = [:]
    var ranges: [KindPriceRange] = []
    for (key, value) in object {
      let kinds = try parseKindKey(key, source: source)
      let text: String
      switch value {
      case .string(let s): text = s
      case .number(let n): text = n.literal
      default:
        throw ConfigurationError(variable: source, rule: "price for kind \(key) must be a string or number")
      }
      guard let price = parseDecimal(text), price <= PricingPolicy.maxPricePerByte else {
        throw ConfigurationError(
          variable: source,
          rule: "price for kind \(key) must be a non-negative integer of at most 10^30, got \"\(text)\"")
      }
      if let kinds {
        ranges.append(KindPriceRange(kinds: kinds, pricePerByte: price))
      } else {
        // JSON leaves duplicate names undefined (RFC 8259 § 4); `"1"` and `"01"` are one kind too.
        let kind = Int(parseDecimal(key)!)
        guard overrides[kind] == nil else {
          throw ConfigurationError(variable: source, rule: "kind \(kind) is given twice; give each kind one price")
        }
        overrides[kind] = price
      }
    }
    ranges.sort { $0.kinds.lowerBound < $1.kinds.lowerBound }
    for (previous, next) in zip(ranges, ranges.dropFirst()) where next.kinds.lowerBound <= previous.kinds.upperBound {
      throw ConfigurationError(
        variable: source,
        rule: "kind ranges \"\(previous.key)\" and \"\(next.key)\" overlap; each kind may be in one range only")
    }
    return (overrides, ranges)
  }

  /// One key of `BLS_KIND_OVERRIDES`: `nil` for a single kind, the range for `"low-high"`.
  private static func parseKindKey(_ key: String, source: String) throws(ConfigurationError) -> ClosedRange<Int>? {
    let outOfRange = ConfigurationError(
      variable: source, rule: "key \"\(key)\" must be an event kind from 0 to 65535 or a range such as \"5000-5999\"")
    let parts = key.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2 else {
      guard let kind = parseDecimal(key), kind <= 65535 else { throw outOfRange }
      return nil
    }
    guard let low = parseDecimal(parts[0]), let high = parseDecimal(parts[1]), low <= 65535, high <= 65535 else {
      throw outOfRange
    }
    guard low <= high else {
      throw ConfigurationError(
        variable: source,
        rule: "key \"\(key)\" is a reversed range; write the lower kind first, e.g. \"\(high)-\(low)\"")
    }
    return Int(low)...Int(high)
  }
}

/// ASCII decimal digits only (no sign, space or prefix), as a 128-bit value; `nil` otherwise
/// or on overflow.
func parseDecimal(_ text: some StringProtocol) -> UInt128? {
  guard !text.isEmpty else { return nil }
  var value: UInt128 = 0
  for b in text.utf8 {
    guard b >= 0x30, b <= 0x39 else { return nil }
    let (times10, o1) = value.multipliedReportingOverflow(by: 10)
    let (sum, o2) = times10.addingReportingOverflow(UInt128(b - 0x30))
    if o1 || o2 { return nil }
    value = sum
  }
  return value
}

@inline(__always) func isHexDigit(_ b: UInt8) -> Bool {
  (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)
}

@inline(__always) func isAlphanumeric(_ b: UInt8) -> Bool {
  (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A)
}
