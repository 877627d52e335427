/// Why an event was rejected: a malformed field (from ``NostrEvent/init(json:)``) or a failed
/// check of its id or signature (from ``NostrEvent/verify()``).
///
/// Format errors carry the contract's wording in ``message`` (the HTTP layer prefixes
/// `"Invalid TOON data: "`); every verification failure is answered as
/// `"Invalid event signature"` but keeps its own ``code`` for logs and tests.
public struct NostrEventError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Stable machine-readable reason.
  public enum Code: String, Sendable, CaseIterable {
    /// The decoded value is not a JSON object.
    case notAnObject = "not_an_object"
    /// `id` is not 64 lowercase hex characters.
    case invalidID = "invalid_id"
    /// `pubkey` is not 64 lowercase hex characters.
    case invalidPubkey = "invalid_pubkey"
    /// `kind` is not an integer literal in 0…65535.
    case invalidKind = "invalid_kind"
    /// `content` is not a string.
    case invalidContent = "invalid_content"
    /// `tags` is not an array of arrays of strings.
    case invalidTags = "invalid_tags"
    /// `created_at` is not an integer literal in 0…2^63−1.
    case invalidCreatedAt = "invalid_created_at"
    /// `sig` is not 128 lowercase hex characters.
    case invalidSig = "invalid_sig"
    /// `id` is not the sha256 of the event's NIP-01 serialization.
    case idMismatch = "id_mismatch"
    /// `pubkey` is not the x coordinate of a point on secp256k1.
    case invalidPublicKey = "invalid_public_key"
    /// `sig` is not a valid BIP-340 signature of `id` by `pubkey`.
    case badSignature = "bad_signature"
  }

  /// Stable machine-readable reason.
  public let code: Code
  /// Human-readable reason naming the field and the rule.
  public let message: String

  public init(code: Code, message: String) {
    self.code = code
    self.message = message
  }

  /// `true` for ``Code/idMismatch``, ``Code/invalidPublicKey`` and ``Code/badSignature``:
  /// the event is well formed but not authentic (contract step 4).
  public var isVerificationFailure: Bool {
    switch code {
    case .idMismatch, .invalidPublicKey, .badSignature: true
    default: false
    }
  }

  public var description: String { "\(code.rawValue): \(message)" }
}

extension NostrEventError {
  /// ``Code/idMismatch`` with its message.
  public static let idMismatch = NostrEventError(
    code: .idMismatch, message: "Invalid event id: does not match the sha256 of the NIP-01 serialization")
  /// ``Code/invalidPublicKey`` with its message.
  public static let invalidPublicKey = NostrEventError(
    code: .invalidPublicKey, message: "Invalid event pubkey: not a valid secp256k1 x-only public key")
  /// ``Code/badSignature`` with its message.
  public static let badSignature = NostrEventError(
    code: .badSignature, message: "Invalid event sig: not a valid BIP-340 signature of the id by the pubkey")
}
