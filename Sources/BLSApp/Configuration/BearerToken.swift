import Nostr

/// `BLS_AUTH_TOKEN`: the secret a caller of /handle-payment and /handle-packet presents as
/// `Authorization: Bearer <token>` (RFC 6750 §2.1).
///
/// Only the token's SHA-256 is kept. A presented token is hashed and compared with it in
/// constant time, so neither its content nor its length shows in how long the comparison
/// takes. `description`, `debugDescription` and reflection (`dump`) never show the token.
public struct BearerToken: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable
{
  private let digest: [UInt8]

  /// Shortest and longest token accepted at start.
  public static let lengthRange = 16...4096

  /// A token of 16–4096 printable ASCII characters (`!` to `~`, no spaces: RFC 6750's
  /// `b64token` needs none, and a header value is trimmed of them); `nil` otherwise.
  public init?(_ token: String) {
    let bytes = Array(token.utf8)
    guard Self.lengthRange.contains(bytes.count), bytes.allSatisfy({ (0x21...0x7E).contains($0) }) else {
      return nil
    }
    digest = SHA256.hash(bytes)
  }

  /// Whether an `Authorization` header value presents this token: the scheme `Bearer` (any
  /// case, RFC 7235 §2.1), one or more spaces, then the token, trailing spaces ignored.
  public func isPresented(in authorization: String?) -> Bool {
    guard let authorization else { return false }
    var bytes = Substring(authorization).utf8[...]
    let scheme = Array("bearer".utf8)
    guard bytes.count > scheme.count,
      zip(bytes.prefix(scheme.count), scheme).allSatisfy({ $0 | 0x20 == $1 }),
      bytes.dropFirst(scheme.count).first == 0x20
    else { return false }
    bytes = bytes.dropFirst(scheme.count).drop { $0 == 0x20 }
    while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
    return matches(Array(bytes))
  }

  /// Constant-time comparison of SHA-256(`presented`) with the token's digest.
  func matches(_ presented: [UInt8]) -> Bool {
    let candidate = SHA256.hash(presented)
    var difference: UInt8 = 0
    for index in 0..<SHA256.byteCount {
      difference |= candidate[index] ^ digest[index]
    }
    return difference == 0
  }

  public var description: String { "BearerToken(redacted)" }
  public var debugDescription: String { description }
  public var customMirror: Mirror { Mirror(self, children: [:]) }
}
