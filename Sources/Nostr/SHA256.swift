import CLibCrypto

/// SHA-256 (FIPS 180-4), computed by OpenSSL's libcrypto.
///
/// Why libcrypto and not swift-crypto: the runtime image already carries libcrypto because
/// nginx links it, so using it adds nothing to the image; swift-crypto would compile its own
/// copy of BoringSSL into the binary (measured in the project's figures). The hash is never
/// written by hand here.
///
/// The digest algorithm is fetched once (`EVP_MD_fetch`) and reused: OpenSSL 3's one-shot
/// `SHA256()` looks the algorithm up on every call, which costs more than hashing a typical
/// Nostr event. A fetched `EVP_MD` is immutable and safe to share between threads.
public enum SHA256 {
  /// Length of a digest in bytes.
  public static let byteCount = 32

  /// The 32-byte digest of `bytes`.
  public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
    if let digest = bytes.withContiguousStorageIfAvailable({ hash(buffer: UnsafeRawBufferPointer($0)) }) {
      return digest
    }
    return Array(bytes).withUnsafeBytes { hash(buffer: $0) }
  }

  /// The 32-byte digest of the bytes in `buffer`.
  public static func hash(buffer: UnsafeRawBufferPointer) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: byteCount) { out, initialized in
      var length: UInt32 = 0
      // A valid pointer even for empty input: libcrypto may not accept NULL with length 0.
      let ok = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { empty in
        EVP_Digest(
          buffer.baseAddress ?? UnsafeRawPointer(empty.baseAddress!), buffer.count,
          out.baseAddress, &length, Digest.sha256, nil)
      }
      // Only fails on allocation failure inside libcrypto: nothing sensible to recover.
      precondition(ok == 1 && length == UInt32(byteCount), "libcrypto EVP_Digest(SHA-256) failed")
      initialized = byteCount
    }
  }

  /// Lowercase hex of the digest of `bytes`.
  public static func hexHash(_ bytes: some Collection<UInt8>) -> String {
    Hex.encode(hash(bytes))
  }
}

/// The SHA-256 implementation fetched from libcrypto's default provider, once per process.
private enum Digest {
  nonisolated(unsafe) static let sha256: OpaquePointer = {
    guard let md = EVP_MD_fetch(nil, "SHA256", nil) else {
      fatalError("libcrypto has no SHA-256 implementation (EVP_MD_fetch failed)")
    }
    return md
  }()
}
