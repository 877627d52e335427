import CLibCrypto
import CSecp256k1

/// A secp256k1 secret key with its BIP-340 x-only public key (a Nostr identity).
///
/// The secret lives in one heap buffer that is wiped (`OPENSSL_cleanse`) when the last copy of
/// the key goes away. `description`, `debugDescription` and reflection (`dump`) show only the
/// public key; the secret is revealed only by the explicitly named ``revealHex()``.
public struct SecretKey: Sendable {
  private let storage: KeypairStorage

  /// The x-only public key (BIP-340), e.g. for `/health`'s `pubkey`.
  public let publicKey: XOnlyPublicKey

  /// Parses 64 hex characters, either case (the configuration lower-cases them anyway), and
  /// checks the value is a valid secret key: nonzero and below the curve order n.
  public init(hex: some StringProtocol) throws(KeyError) {
    try KeyError.checkHex(hex, digits: 64, lowercaseOnly: false)
    var bytes = Hex.decode(hex)!
    defer { SecureRandom.wipe(&bytes) }
    try self.init(bytes: bytes)
  }

  /// Uses 32 bytes as a secret key; they must be nonzero and below the curve order n.
  public init(bytes: [UInt8]) throws(KeyError) {
    guard bytes.count == 32 else {
      throw KeyError(code: .invalidLength, message: "must be 32 bytes, got \(bytes.count)")
    }
    guard let storage = KeypairStorage(secret: bytes) else {
      throw KeyError(
        code: .invalidSecretKey,
        message: "is not a valid secp256k1 secret key (must be nonzero and below the curve order)")
    }
    self.storage = storage
    self.publicKey = storage.publicKey
  }

  /// A new random key from the operating system's CSPRNG.
  public static func generate() -> SecretKey {
    while true {
      var candidate = SecureRandom.bytes(32)
      defer { SecureRandom.wipe(&candidate) }
      // Fails with probability about 2^-128 (zero or ≥ n): draw again.
      if let key = try? SecretKey(bytes: candidate) { return key }
    }
  }

  /// The secret as 64 lowercase hex characters — for `keygen` output only. The returned string
  /// cannot be wiped; never log it.
  public func revealHex() -> String {
    var secret = storage.secretBytes()
    defer { SecureRandom.wipe(&secret) }
    return Hex.encode(secret)
  }

  /// BIP-340 signature of a 32-byte message (a Nostr event id), with 32 bytes of fresh
  /// auxiliary randomness from the operating system (BIP-340 "Default Signing").
  ///
  /// - Precondition: `message32.count == 32`.
  public func sign(message32: [UInt8]) -> [UInt8] {
    precondition(message32.count == 32, "BIP-340 signing here takes a 32-byte message")
    var aux = SecureRandom.bytes(32)
    defer { SecureRandom.wipe(&aux) }
    return sign(message: message32, auxiliaryRandomness: aux)
  }

  /// BIP-340 signature of `message` (any length) with the given auxiliary randomness.
  ///
  /// Deterministic for a given `auxiliaryRandomness`, which is what the BIP-340 test vectors
  /// check; real signatures should use ``sign(message32:)``. The signature is verified before
  /// it is returned, as BIP-340 recommends against fault attacks.
  ///
  /// - Precondition: `auxiliaryRandomness.count == 32`.
  public func sign(message: [UInt8], auxiliaryRandomness: [UInt8]) -> [UInt8] {
    precondition(auxiliaryRandomness.count == 32, "BIP-340 auxiliary randomness is 32 bytes")
    var aux = auxiliaryRandomness
    var signature = [UInt8](repeating: 0, count: Schnorr.signatureByteCount)
    let ok = aux.withUnsafeMutableBytes { auxBuffer in
      var params = csecp256k1_schnorrsig_extraparams(auxBuffer.baseAddress)
      return message.withUnsafeBufferPointer { msg in
        storage.withKeypair { keypair in
          secp256k1_schnorrsig_sign_custom(
            Secp256k1Context.signing, &signature, msg.baseAddress, msg.count, keypair, &params)
        }
      }
    }
    SecureRandom.wipe(&aux)
    precondition(ok == 1, "secp256k1_schnorrsig_sign_custom failed")
    precondition(
      Schnorr.verify(signature: signature, message: message, publicKey: publicKey),
      "a fresh BIP-340 signature did not verify")
    return signature
  }
}

extension SecretKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  public var description: String { "SecretKey(<redacted>, publicKey: \(publicKey.hex))" }
  public var debugDescription: String { description }
  public var customMirror: Mirror { Mirror(self, children: ["publicKey": publicKey]) }
}

/// Owns a libsecp256k1 keypair (which contains the secret) in memory it wipes on release.
private final class KeypairStorage: Sendable {
  private nonisolated(unsafe) let keypair: UnsafeMutablePointer<secp256k1_keypair>
  let publicKey: XOnlyPublicKey

  init?(secret: [UInt8]) {
    let keypair = UnsafeMutablePointer<secp256k1_keypair>.allocate(capacity: 1)
    keypair.initialize(to: secp256k1_keypair())
    guard secp256k1_keypair_create(Secp256k1Context.signing, keypair, secret) == 1 else {
      Self.release(keypair)
      return nil
    }
    var xonly = secp256k1_xonly_pubkey()
    guard secp256k1_keypair_xonly_pub(Secp256k1Context.verification, &xonly, nil, keypair) == 1 else {
      Self.release(keypair)
      return nil
    }
    self.keypair = keypair
    self.publicKey = XOnlyPublicKey(parsed: xonly)
  }

  deinit { Self.release(keypair) }

  /// Read-only access; libsecp256k1 never writes through these pointers.
  func withKeypair<R>(_ body: (UnsafePointer<secp256k1_keypair>) -> R) -> R {
    body(UnsafePointer(keypair))
  }

  func secretBytes() -> [UInt8] {
    var secret = [UInt8](repeating: 0, count: 32)
    _ = secp256k1_keypair_sec(Secp256k1Context.verification, &secret, keypair)
    return secret
  }

  private static func release(_ keypair: UnsafeMutablePointer<secp256k1_keypair>) {
    OPENSSL_cleanse(keypair, MemoryLayout<secp256k1_keypair>.size)
    keypair.deallocate()
  }
}
