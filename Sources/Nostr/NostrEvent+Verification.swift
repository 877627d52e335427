extension NostrEvent {
  /// Checks that the event is authentic (NIP-01, BIP-340): `id` is the sha256 of
  /// ``serializationForID``, and `sig` is a valid BIP-340 signature of that id by `pubkey`.
  ///
  /// Throws ``NostrEventError/Code/idMismatch`` first (as the reference does, before any curve
  /// arithmetic), then ``NostrEventError/Code/invalidPublicKey`` or
  /// ``NostrEventError/Code/badSignature``. Hex is compared as NIP-01 writes it: lowercase
  /// only, so an uppercase id never equals the computed one.
  ///
  /// Cost: one sha256 over the serialization plus one libsecp256k1 Schnorr verification
  /// (tens of µs); the author's key is parsed once and then found in a small cache
  /// (``XOnlyPublicKey/cached(bytes:)``). Thread-safe.
  public func verify() throws(NostrEventError) {
    let digest = computedIDBytes
    guard let idBytes = Hex.decode(id, count: 32, lowercaseOnly: true), idBytes == digest else {
      throw .idMismatch
    }
    guard let keyBytes = Hex.decode(pubkey, count: 32, lowercaseOnly: true),
      let key = try? XOnlyPublicKey.cached(bytes: keyBytes)
    else {
      throw .invalidPublicKey
    }
    guard let signature = Hex.decode(sig, count: 64, lowercaseOnly: true),
      Schnorr.verify(signature: signature, message: digest, publicKey: key)
    else {
      throw .badSignature
    }
  }

  /// `true` when ``verify()`` succeeds.
  public var isAuthentic: Bool {
    (try? verify()) != nil
  }
}
