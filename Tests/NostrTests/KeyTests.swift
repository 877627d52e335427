import Nostr
import Testing

@Suite("Secret and public keys")
struct KeyTests {
  static let aliceSecret = "5bd3adc36b49b46602af912b29273821129b866b9f29c028022656267957d5b4"
  static let alicePubkey = "8cd00ea2a849a1486e530914a63509778e996170c123245cb686496402d6c8d1"

  @Test func secretKeyIsCaseInsensitive() throws {
    let key = try SecretKey(hex: Self.aliceSecret.uppercased())
    #expect(key.publicKey.hex == Self.alicePubkey)
    #expect(key.revealHex() == Self.aliceSecret)
  }

  @Test func descriptionsNeverShowTheSecret() throws {
    let key = try SecretKey(hex: Self.aliceSecret)
    var dumped = ""
    dump(key, to: &dumped)
    for text in [key.description, key.debugDescription, "\(key)", String(reflecting: key), dumped] {
      #expect(!text.lowercased().contains(Self.aliceSecret), "leaked: \(text)")
      #expect(!text.lowercased().contains(Self.aliceSecret.prefix(16)))
    }
    #expect(key.description.contains(Self.alicePubkey))
  }

  @Test(arguments: [
    ("", KeyError.Code.invalidLength, "must be a 64-character hex string, got 0 characters"),
    ("abcdef012345", .invalidLength, "must be a 64-character hex string, got 12 characters"),
    (String(repeating: "g", count: 64), .invalidHex, "must be a 64-character hex string (0-9, a-f, A-F)"),
    (
      String(repeating: "0", count: 64), .invalidSecretKey,
      "is not a valid secp256k1 secret key (must be nonzero and below the curve order)"
    ),
    // The curve order n itself is not a valid secret.
    (
      "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", .invalidSecretKey,
      "is not a valid secp256k1 secret key (must be nonzero and below the curve order)"
    ),
  ])
  func invalidSecretKeys(hex: String, code: KeyError.Code, message: String) {
    #expect(throws: KeyError(code: code, message: message)) { try SecretKey(hex: hex) }
  }

  @Test func largestValidSecretKey() throws {
    // n - 1
    _ = try SecretKey(hex: "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140")
  }

  @Test func generatedKeysDifferAndSign() throws {
    let a = SecretKey.generate()
    let b = SecretKey.generate()
    #expect(a.publicKey != b.publicKey)
    let message = SHA256.hash(Array("message".utf8))
    let signature = a.sign(message32: message)
    #expect(Schnorr.verify(signature: signature, message: message, publicKey: a.publicKey))
    #expect(!Schnorr.verify(signature: signature, message: message, publicKey: b.publicKey))
    // Fresh auxiliary randomness: a second signature differs but is also valid.
    let again = a.sign(message32: message)
    #expect(again != signature)
    #expect(Schnorr.verify(signature: again, message: message, publicKey: a.publicKey))
    #expect(try SecretKey(hex: a.revealHex()).publicKey == a.publicKey)
  }

  @Test func publicKeyParsing() throws {
    let key = try XOnlyPublicKey(hex: Self.alicePubkey)
    #expect(key.bytes == [UInt8](hexString: Self.alicePubkey))
    #expect(try XOnlyPublicKey(bytes: key.bytes) == key)
    #expect(try XOnlyPublicKey(hex: Self.alicePubkey.uppercased()) == key)
    #expect(throws: KeyError.self) { try XOnlyPublicKey(hex: Self.alicePubkey.uppercased(), lowercaseOnly: true) }
    #expect(throws: KeyError.self) { try XOnlyPublicKey(hex: String(Self.alicePubkey.dropLast())) }
    #expect(throws: KeyError.self) { try XOnlyPublicKey(bytes: [UInt8](repeating: 1, count: 33)) }
    // BIP-340 vector 5: not the x coordinate of any curve point.
    let error = #expect(throws: KeyError.self) {
      try XOnlyPublicKey(hex: "eefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34")
    }
    #expect(error?.code == .invalidPublicKey)
  }

  @Test func verifyRejectsMalformedSignatures() throws {
    let key = try SecretKey(hex: Self.aliceSecret)
    let message = SHA256.hash(Array("x".utf8))
    let signature = key.sign(message32: message)
    #expect(!Schnorr.verify(signature: Array(signature.dropLast()), message: message, publicKey: key.publicKey))
    #expect(!Schnorr.verify(signature: signature + [0], message: message, publicKey: key.publicKey))
    #expect(!Schnorr.verify(signature: [], message: message, publicKey: key.publicKey))
    #expect(!Schnorr.verify(signature: signature, message: [], publicKey: key.publicKey))
  }

  @Test func concurrentVerification() async throws {
    let key = try SecretKey(hex: Self.aliceSecret)
    let message = SHA256.hash(Array("concurrent".utf8))
    let signature = key.sign(message32: message)
    let publicKey = key.publicKey
    await withTaskGroup(of: Bool.self) { group in
      for i in 0..<200 {
        group.addTask {
          i.isMultiple(of: 2)
            ? Schnorr.verify(signature: signature, message: message, publicKey: publicKey)
            : !Schnorr.verify(signature: signature, message: [UInt8](repeating: 0, count: 32), publicKey: publicKey)
        }
      }
      for await ok in group { #expect(ok) }
    }
  }
}
