extension NostrEvent {
  /// A new event by `secretKey`: `pubkey` is its x-only public key, `id` the sha256 of the
  /// NIP-01 serialization, and `sig` a BIP-340 signature of the id with fresh auxiliary
  /// randomness (so two calls give different, equally valid signatures).
  public static func signed(
    secretKey: SecretKey, createdAt: Int64, kind: Int, tags: [[String]] = [], content: String
  ) -> NostrEvent {
    var event = NostrEvent(
      id: "", pubkey: secretKey.publicKey.hex, createdAt: createdAt, kind: kind, tags: tags,
      content: content, sig: "")
    let id = event.computedIDBytes
    event.id = Hex.encode(id)
    event.sig = Hex.encode(secretKey.sign(message32: id))
    return event
  }
}
