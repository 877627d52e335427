import CSecp256k1

/// BIP-340 Schnorr signatures over secp256k1, by libsecp256k1.
public enum Schnorr {
  /// Length of a signature in bytes (`R.x || s`).
  public static let signatureByteCount = 64

  /// `true` when `signature` is a valid BIP-340 signature of `message` by `publicKey`.
  ///
  /// Any message length is allowed (BIP-340 as amended in 2022; Nostr signs the 32-byte event
  /// id). A signature of the wrong length, with `R.x ≥ p` or with `s ≥ n` is simply invalid.
  /// Safe to call from any number of threads at once (static context, no shared state).
  public static func verify(signature: [UInt8], message: [UInt8], publicKey: XOnlyPublicKey) -> Bool {
    guard signature.count == signatureByteCount else { return false }
    return withUnsafePointer(to: publicKey.parsed) { key in
      message.withUnsafeBufferPointer { msg in
        secp256k1_schnorrsig_verify(
          Secp256k1Context.verification, signature, msg.baseAddress, msg.count, key) == 1
      }
    }
  }
}
