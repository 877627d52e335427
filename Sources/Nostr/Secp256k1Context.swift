import CSecp256k1

/// The libsecp256k1 contexts this module uses, created once per process.
///
/// - Verification and key parsing use `secp256k1_context_static`: those operations need no
///   precomputed tables and no randomization, and the static context is immutable, so any
///   number of threads may use it at once. The library's self test runs once before first use,
///   as its header asks.
/// - Signing and key derivation use one context created at first use and randomized once with
///   32 bytes from the operating system (side-channel blinding). libsecp256k1 documents that a
///   context randomized at creation may then be used from many threads without locking, since
///   the library only reads it afterwards.
enum Secp256k1Context {
  /// For `secp256k1_schnorrsig_verify`, `secp256k1_xonly_pubkey_parse`, `…_serialize`.
  static var verification: OpaquePointer { Verification.context }

  /// For `secp256k1_keypair_create` and `secp256k1_schnorrsig_sign_custom`.
  static var signing: OpaquePointer { Signing.context }
}

private enum Verification {
  nonisolated(unsafe) static let context: OpaquePointer = {
    secp256k1_selftest()
    return csecp256k1_context_static()
  }()
}

private enum Signing {
  nonisolated(unsafe) static let context: OpaquePointer = {
    guard let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
      fatalError("secp256k1_context_create failed")
    }
    var seed = SecureRandom.bytes(32)
    defer { SecureRandom.wipe(&seed) }
    guard secp256k1_context_randomize(context, seed) == 1 else {
      fatalError("secp256k1_context_randomize failed")
    }
    return context
  }()
}
