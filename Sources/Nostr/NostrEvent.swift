/// A Nostr event (NIP-01 "Events and signatures").
///
/// A value of this type is only a shape: ``NostrEvent/init(json:)`` checks field types and
/// formats, and ``NostrEvent/verify()`` checks the id and the BIP-340 signature.
///
/// - Reading and writing: ``init(json:)``, ``jsonValue``, ``tagsJSON``.
/// - Authenticity: ``serializationForID``, ``computedID``, ``verify()``,
///   ``signed(secretKey:createdAt:kind:tags:content:)``.
/// - Storage rules (NIP-01): ``kindClass``, ``dTagValue``, ``replacementKey``,
///   ``supersedes(_:)``, ``queryOrder(_:_:)``; filters: ``NostrFilter/matches(_:)``.
///
/// The memberwise initializer checks nothing; synthesized `==` compares strings by Unicode
/// canonical equivalence, so compare ids when byte identity matters.
public struct NostrEvent: Sendable, Hashable {
  /// 32-byte lowercase hex sha256 of the NIP-01 serialization.
  public var id: String
  /// 32-byte lowercase hex x-only public key of the author (BIP-340).
  public var pubkey: String
  /// Unix time in seconds.
  public var createdAt: Int64
  /// Event kind, 0…65535.
  public var kind: Int
  /// Tags: arrays of strings.
  public var tags: [[String]]
  /// Arbitrary string content.
  public var content: String
  /// 64-byte lowercase hex BIP-340 Schnorr signature of `id`.
  public var sig: String

  public init(
    id: String, pubkey: String, createdAt: Int64, kind: Int, tags: [[String]], content: String,
    sig: String
  ) {
    self.id = id
    self.pubkey = pubkey
    self.createdAt = createdAt
    self.kind = kind
    self.tags = tags
    self.content = content
    self.sig = sig
  }
}
