import Glibc

extension XOnlyPublicKey {
  /// The key for 32 `bytes`, from a small cache of recent authors kept by each thread.
  ///
  /// Parsing an x-only key (BIP-340 `lift_x`: a square root on the curve) costs about a fifth
  /// of a signature check; authors repeat, so ``NostrEvent/verify()`` parses each one once per
  /// thread. Only valid keys are cached, each compared in full on a hit; the cache has a fixed
  /// size (``PublicKeyCache/slotCount`` slots per thread, a newer key replaces an older one
  /// in its slot). Per thread, so a hit takes no lock: a shared cache behind one mutex was
  /// measured slower than no cache at all with 64 worker threads verifying one author.
  static func cached(bytes: [UInt8]) throws(KeyError) -> XOnlyPublicKey {
    guard bytes.count == 32 else { return try XOnlyPublicKey(bytes: bytes) }
    let cache = PublicKeyCache.current
    let slot = PublicKeyCache.slot(of: bytes)
    if let hit = cache.slots[slot], hit.bytes == bytes { return hit }
    let key = try XOnlyPublicKey(bytes: bytes)
    cache.slots[slot] = key
    return key
  }
}

/// One thread's direct-mapped table of parsed public keys.
final class PublicKeyCache {
  static let slotCount = 128

  var slots: [XOnlyPublicKey?] = Array(repeating: nil, count: PublicKeyCache.slotCount)

  /// Keys are uniformly random, so their first byte spreads them over the slots.
  static func slot(of bytes: [UInt8]) -> Int { Int(bytes[0]) & (slotCount - 1) }

  /// The calling thread's cache, created on first use and released when the thread exits.
  static var current: PublicKeyCache {
    if let raw = pthread_getspecific(threadKey) {
      return Unmanaged<PublicKeyCache>.fromOpaque(raw).takeUnretainedValue()
    }
    let cache = PublicKeyCache()
    pthread_setspecific(threadKey, Unmanaged.passRetained(cache).toOpaque())
    return cache
  }

  private static let threadKey: pthread_key_t = {
    var key = pthread_key_t()
    let created = pthread_key_create(&key) { raw in
      guard let raw else { return }
      Unmanaged<PublicKeyCache>.fromOpaque(raw).release()
    }
    precondition(created == 0, "pthread_key_create failed")
    return key
  }()
}
