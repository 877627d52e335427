import Foundation
import Nostr

/// Synthetic, validly shaped events (the store does not check signatures).
public enum Events {
  public static func hex(_ byteCount: Int = 32) -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<byteCount).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }
      .joined()
  }

  public static let alice = String(repeating: "a1", count: 32)
  public static let bob = String(repeating: "b2", count: 32)

  public static func make(
    id: String = hex(), pubkey: String = alice, createdAt: Int64 = 1_700_000_000, kind: Int = 1,
    tags: [[String]] = [], content: String = "hello"
  ) -> NostrEvent {
    NostrEvent(
      id: id, pubkey: pubkey, createdAt: createdAt, kind: kind, tags: tags, content: content,
      sig: hex(64))
  }

  /// An id that sorts before or after the others: `prefix` then random hex.
  public static func id(prefix: String) -> String {
    prefix + String(hex().dropFirst(prefix.count))
  }
}
