import Nostr

/// Everything BLS reads from its environment, validated, in one `Sendable` value.
///
/// Built once at start-up by ``fromEnvironment(_:readFile:)``; see the README's table of
/// variables. Every field is immutable afterwards.
public struct BLSConfiguration: Sendable {
  /// `NODE_ID`: this node's name, reported by `/health`.
  public var nodeID: String
  /// `NOSTR_SECRET_KEY`: the node's secp256k1 secret key. Never logged or returned.
  public var secretKey: SecretKey
  /// x-only public key (64 lowercase hex) derived from ``secretKey`` (BIP-340).
  public var publicKeyHex: String
  /// `ILP_ADDRESS`: this node's ILP address (`g.` followed by letters, digits, `.`, `-`).
  public var ilpAddress: String
  /// `BLS_PORT`: the port nginx listens on (1–65535). Default 3100.
  public var port: Int
  /// Prices: base per-byte price, kind overrides, owner bypass, SPSP cap.
  public var pricing: PricingPolicy
  /// `DATA_DIR`: the directory holding `events.db`; ``StorageLocation/memory`` for
  /// `DATA_DIR=:memory:`; ``StorageLocation/postgres(_:)`` when `DATABASE_URL` is set (it wins
  /// over `DATA_DIR`). Default `/data`.
  public var storage: StorageLocation
  /// `BLS_MAX_EVENT_BYTES`: largest accepted decoded `data` (TOON bytes). Default 65536.
  public var maxEventBytes: Int
  /// Most tags an event may carry before it is rejected unread (contract: 2000).
  public var maxTags: Int
  /// `BLS_REQUEST_TIMEOUT_MS`: how long after its arrival a payment's event may still be
  /// stored (100–600000, default 10000). Past it the payment is answered T00 "timed out
  /// before storing" and not stored (``RequestDeadline``). Set it below the connector's
  /// `LOCAL_DELIVERY_TIMEOUT`, and the web server's read timeout above it.
  public var requestTimeoutMillis: Int
  /// `BLS_MAX_FUTURE_SECONDS`, `BLS_MAX_PAST_SECONDS`: how far `created_at` may be from now
  /// (unset: any time).
  public var createdAtWindow: CreatedAtWindow
  /// `BLS_EXPIRATION_SWEEP_SECONDS`: seconds between two passes of the sweep that deletes
  /// events whose NIP-40 expiration has passed (1–86400, default 60).
  public var expirationSweepSeconds: Int
  /// `BLS_COMMIT_DELAY_US`: the writer's pause before committing a batch under load
  /// (``Nostr/CommitDelay``; 0–10000 µs, default 300).
  public var commitDelay = CommitDelay()
  /// `BLS_AUTH_TOKEN`: when set, /handle-payment and /handle-packet require
  /// `Authorization: Bearer <token>`. Never logged or returned.
  public var authToken: BearerToken?
  /// `BLS_METRICS_ALLOW`: who may read `GET /metrics`, besides loopback (the default).
  public var metricsAllow: AddressAllowList = .loopback

  public init(
    nodeID: String, secretKey: SecretKey, ilpAddress: String, port: Int = 3100,
    pricing: PricingPolicy = PricingPolicy(), storage: StorageLocation = .directory("/data"),
    maxEventBytes: Int = 65536, maxTags: Int = 2000, requestTimeoutMillis: Int = 10000,
    authToken: BearerToken? = nil, createdAtWindow: CreatedAtWindow = CreatedAtWindow(),
    expirationSweepSeconds: Int = 60
  ) {
    self.nodeID = nodeID
    self.secretKey = secretKey
    self.publicKeyHex = secretKey.publicKey.hex
    self.ilpAddress = ilpAddress
    self.port = port
    self.pricing = pricing
    self.storage = storage
    self.maxEventBytes = maxEventBytes
    self.maxTags = maxTags
    self.requestTimeoutMillis = requestTimeoutMillis
    self.authToken = authToken
    self.createdAtWindow = createdAtWindow
    self.expirationSweepSeconds = expirationSweepSeconds
  }

  /// Largest request body accepted, in bytes: room for the base64 of ``maxEventBytes`` plus
  /// 16 KiB for the other JSON fields. nginx's `client_max_body_size` uses the same value.
  public var maxRequestBodyBytes: Int {
    (maxEventBytes + 2) / 3 * 4 + 16384
  }

  /// The variables that hold secrets: read once at start, then removed from the process's
  /// environment (and overwritten in place) so no child and no reader of
  /// `/proc/<pid>/environ` finds them.
  public static let secretVariables = ["NOSTR_SECRET_KEY", "BLS_AUTH_TOKEN", "DATABASE_URL"]

  /// One log line describing the effective configuration (public key, never the secret).
  /// `includingPort`: name ``port`` (`BLS_PORT`, the port `bls-fcgi run`'s nginx listens on);
  /// `serve` on its own listens where its options say, so it leaves it out.
  public var summary: String { summary(includingPort: true) }

  /// ``summary``, with or without ``port``.
  public func summary(includingPort: Bool) -> String {
    var parts = ["nodeId=\(nodeID)", "pubkey=\(publicKeyHex)", "ilpAddress=\(ilpAddress)"]
    if includingPort { parts.append("port=\(port)") }
    parts += [
      "storage=\(storage)", "basePricePerByte=\(pricing.basePricePerByte)",
      "maxEventBytes=\(maxEventBytes)", "requestTimeoutMs=\(requestTimeoutMillis)",
      "authToken=\(authToken == nil ? "unset" : "set")", "expirationSweepSeconds=\(expirationSweepSeconds)",
      "commitDelayUs=\(commitDelay.microseconds)",
    ]
    if !pricing.overrideEntries.isEmpty {
      let overrides = pricing.overrideEntries.map { "\($0.key):\($0.pricePerByte)" }
      parts.append("kindOverrides={\(overrides.joined(separator: ","))}")
    }
    if let owner = pricing.ownerPubkey { parts.append("ownerPubkey=\(owner)") }
    if let spsp = pricing.spspMinPrice { parts.append("spspMinPrice=\(spsp)") }
    if let future = createdAtWindow.maxFutureSeconds { parts.append("maxFutureSeconds=\(future)") }
    if let past = createdAtWindow.maxPastSeconds { parts.append("maxPastSeconds=\(past)") }
    return parts.joined(separator: " ")
  }
}

/// Where events are kept.
public enum StorageLocation: Sendable, Equatable, CustomStringConvertible {
  /// SQLite at `<path>/events.db`.
  case directory(String)
  /// A volatile in-memory store, only when asked for with `DATA_DIR=:memory:`.
  case memory
  /// `DATABASE_URL`: PostgreSQL at this libpq URI (`postgres://` or `postgresql://`), shared
  /// by several nodes; `DATA_DIR` is then unused. The URL may hold a password: only
  /// ``description`` (which drops it) is ever logged.
  case postgres(String)

  public var description: String {
    switch self {
    case .directory(let path): "sqlite:\(path)/events.db"
    case .memory: "memory (volatile: events are lost on restart)"
    case .postgres(let url): Self.redacted(url)
    }
  }

  /// A libpq URI without its user, password and parameters: `postgresql://host:port/db`.
  static func redacted(_ url: String) -> String {
    guard let schemeEnd = url.firstRange(of: "://") else { return "postgresql://" }
    var rest = url[schemeEnd.upperBound...]
    if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
    let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
    let authority = rest[..<authorityEnd]
    let host = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
    return "postgresql://\(host)\(rest[authorityEnd...])"
  }
}
