/// Why a key could not be parsed. Messages describe the rule and never contain key material,
/// so a caller may print them prefixed with the name of the input (e.g. an environment
/// variable): `NOSTR_SECRET_KEY: must be a 64-character hex string, got 12 characters`.
public struct KeyError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Stable machine-readable reason.
  public enum Code: String, Sendable {
    /// Not the required number of hex digits.
    case invalidLength = "invalid_length"
    /// A character that is not a hex digit.
    case invalidHex = "invalid_hex"
    /// 32 bytes that are not the x coordinate of a point on secp256k1 (BIP-340 `lift_x` fails).
    case invalidPublicKey = "invalid_public_key"
    /// 32 bytes that are zero or not below the curve order n.
    case invalidSecretKey = "invalid_secret_key"
  }

  /// Stable machine-readable reason.
  public let code: Code
  /// Human-readable rule, without the offending value.
  public let message: String

  public init(code: Code, message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { message }

  /// Checks the shape of a hex key: exactly `digits` hex digits.
  static func checkHex(_ text: some StringProtocol, digits: Int, lowercaseOnly: Bool) throws(KeyError) {
    let count = text.utf8.count
    guard count == digits else {
      throw KeyError(
        code: .invalidLength,
        message: "must be a \(digits)-character hex string, got \(count) characters")
    }
    guard Hex.isHex(text, length: digits, lowercaseOnly: lowercaseOnly) else {
      throw KeyError(
        code: .invalidHex,
        message: lowercaseOnly
          ? "must be a \(digits)-character lowercase hex string (0-9, a-f)"
          : "must be a \(digits)-character hex string (0-9, a-f, A-F)")
    }
  }
}
