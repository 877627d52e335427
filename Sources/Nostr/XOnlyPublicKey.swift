import CSecp256k1

/// A BIP-340 public key: the 32-byte x coordinate of a secp256k1 point with even y.
///
/// Construction checks that the x coordinate is on the curve (BIP-340 `lift_x`), so a value of
/// this type is always usable by ``Schnorr/verify(signature:message:publicKey:)``. Nostr writes
/// it as 64 lowercase hex characters (NIP-01 `pubkey`).
public struct XOnlyPublicKey: Sendable, Hashable, CustomStringConvertible {
  /// The 32-byte serialization.
  public let bytes: [UInt8]
  /// libsecp256k1's parsed form, ready for verification.
  let parsed: secp256k1_xonly_pubkey

  /// Parses 32 bytes. Throws ``KeyError/Code/invalidLength`` for another length and
  /// ``KeyError/Code/invalidPublicKey`` when no curve point has this x coordinate.
  public init(bytes: some Collection<UInt8>) throws(KeyError) {
    let bytes = Array(bytes)
    guard bytes.count == 32 else {
      throw KeyError(code: .invalidLength, message: "must be 32 bytes, got \(bytes.count)")
    }
    var parsed = secp256k1_xonly_pubkey()
    guard secp256k1_xonly_pubkey_parse(Secp256k1Context.verification, &parsed, bytes) == 1 else {
      throw KeyError(
        code: .invalidPublicKey, message: "is not the x coordinate of a point on secp256k1")
    }
    self.bytes = bytes
    self.parsed = parsed
  }

  /// Parses 64 hex characters (either case unless `lowercaseOnly`).
  public init(hex: some StringProtocol, lowercaseOnly: Bool = false) throws(KeyError) {
    try KeyError.checkHex(hex, digits: 64, lowercaseOnly: lowercaseOnly)
    try self.init(bytes: Hex.decode(hex)!)
  }

  /// Wraps a key libsecp256k1 produced itself (from a keypair).
  init(parsed: secp256k1_xonly_pubkey) {
    var parsed = parsed
    var bytes = [UInt8](repeating: 0, count: 32)
    _ = secp256k1_xonly_pubkey_serialize(Secp256k1Context.verification, &bytes, &parsed)
    self.bytes = bytes
    self.parsed = parsed
  }

  /// 64 lowercase hex characters, as Nostr writes public keys.
  public var hex: String { Hex.encode(bytes) }

  public var description: String { hex }

  public static func == (lhs: XOnlyPublicKey, rhs: XOnlyPublicKey) -> Bool { lhs.bytes == rhs.bytes }

  public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}
