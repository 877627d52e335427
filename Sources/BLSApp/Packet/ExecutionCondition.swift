import ExtrasBase64
import Nostr

/// A packet's ILP execution condition (RFC-0027 § ILP Prepare: 32 bytes, the SHA-256 of the
/// fulfillment), when a /handle-packet request carries one as `executionCondition`.
///
/// The connector fulfills a packet BLS accepts with SHA-256(data), so the packet can be
/// fulfilled only if SHA-256(SHA-256(data)) is its condition. BLS checks that before storing
/// (issue 12, item 6): no event is stored for a packet that cannot be fulfilled.
struct ExecutionCondition: Sendable, Equatable {
  let bytes: [UInt8]

  /// Standard base64 (padding optional, RFC 4648 §4) of exactly 32 bytes; anything else is
  /// an invalid request.
  init(base64 text: String) throws(PaymentFailure) {
    let encoded = text.utf8
    let decoded: [UInt8]?
    if encoded.count == 43 || encoded.count == 44 {
      decoded = try? Base64.decode(bytes: encoded, options: encoded.count == 44 ? [] : [.omitPaddingCharacter])
    } else {
      decoded = nil
    }
    guard let decoded, decoded.count == SHA256.byteCount else {
      throw .invalidPacket("executionCondition must be the base64 of 32 bytes")
    }
    bytes = decoded
  }

  /// Whether fulfilling with SHA-256(`data`) meets this condition.
  func isMet(byData data: [UInt8]) -> Bool {
    SHA256.hash(SHA256.hash(data)) == bytes
  }
}
