import Synchronization

extension XOnlyPublicKey {
  /// The key for 32 `bytes`, from a small process-wide cache of recent authors.
  ///
  /// Parsing an x-only key (BIP-340 `lift_x`: a square root on the curve) costs about a fifth
  /// of a signature check; authors repeat, so ``NostrEvent/verify()`` parses each one once.
  /// Only valid keys are cached, each compared in full on a hit; the cache has a fixed size
  /// (``PublicKeyCache/slotCount`` slots, a newer key replaces an older one in its slot).
  static func cached(bytes: [UInt8]) throws(KeyError) -> XOnlyPublicKey {
    guard bytes.count == 32 else { return try XOnlyPublicKey(bytes: bytes) }
    let slot = PublicKeyCache.slot(of: bytes)
    if let hit = PublicKeyCache.shared.lookup(slot: slot, bytes: bytes) { return hit }
    let key = try XOnlyPublicKey(bytes: bytes)
    PublicKeyCache.shared.store(key, slot: slot)
    return key
  }
}

/// A direct-mapped table of parsed public keys, shared by every thread.
final class PublicKeyCache: Sendable {
  static let slotCount = 1024
  static let shared = PublicKeyCache()

  private let slots = Mutex<[XOnlyPublicKey?]>(Array(repeating: nil, count: PublicKeyCache.slotCount))

  /// Keys are uniformly random, so their first bytes spread them over the slots.
  static func slot(of bytes: [UInt8]) -> Int {
    (Int(bytes[0]) | Int(bytes[1]) << 8) & (slotCount - 1)
  }

  func lookup(slot: Int, bytes: [UInt8]) -> XOnlyPublicKey? {
    slots.withLock { slots in
      guard let key = slots[slot], key.bytes == bytes else { return nil }
      return key
    }
  }

  func store(_ key: XOnlyPublicKey, slot: Int) {
    slots.withLock { $0[slot] = key }
  }
}
