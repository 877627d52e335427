import Nostr
import Testing

/// ``NostrEvent/verify()`` keeps parsed author keys in a small direct-mapped cache; a cached
/// key must never make another author's event verify, nor a bad signature pass.
@Suite("Author key cache in verify()")
struct PublicKeyCacheTests {
  /// Two authors whose keys land in the same cache slot (same low 7 bits of the first byte),
  /// found by generating keys until two collide (about 15 on average).
  static func collidingAuthors() -> (SecretKey, SecretKey) {
    var seen: [Int: SecretKey] = [:]
    while true {
      let key = SecretKey.generate()
      let bytes = key.publicKey.bytes
      let slot = Int(bytes[0]) & 127
      if let other = seen[slot], other.publicKey != key.publicKey { return (other, key) }
      seen[slot] = key
    }
  }

  @Test func authorsSharingASlotEachVerifyOnlyTheirOwnEvents() throws {
    let (alice, bob) = Self.collidingAuthors()
    let fromAlice = NostrEvent.signed(secretKey: alice, createdAt: 1_700_000_000, kind: 1, tags: [], content: "a")
    let fromBob = NostrEvent.signed(secretKey: bob, createdAt: 1_700_000_000, kind: 1, tags: [], content: "b")
    for _ in 0..<3 {
      try fromAlice.verify()
      try fromBob.verify()
    }
    // Bob's signature and id under Alice's name: the cached Bob key must not be used.
    var forged = fromBob
    forged.pubkey = fromAlice.pubkey
    #expect(throws: NostrEventError.idMismatch) { try forged.verify() }
    forged.id = forged.computedID
    #expect(throws: NostrEventError.badSignature) { try forged.verify() }
  }

  @Test func aCachedAuthorsBadSignatureStillFails() throws {
    let author = SecretKey.generate()
    let event = NostrEvent.signed(secretKey: author, createdAt: 1_700_000_000, kind: 1, tags: [], content: "x")
    try event.verify()
    var tampered = event
    tampered.sig = String(event.sig.dropLast()) + (event.sig.hasSuffix("0") ? "1" : "0")
    #expect(throws: NostrEventError.badSignature) { try tampered.verify() }
    try event.verify()
  }
}
