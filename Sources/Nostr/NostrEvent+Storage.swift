/// The slot a replaceable or addressable event occupies: at most one event per key is stored.
///
/// Equality is byte-exact on the UTF-8 of each string (not Swift's canonical equivalence):
/// a `d` value written in NFC and the same text in NFD are different slots, as they are for
/// SQLite's `BINARY` comparison and for every other Nostr relay.
public struct ReplacementKey: Sendable, Hashable {
  public var pubkey: String
  public var kind: Int
  /// The first `d` tag's value for addressable kinds (`""` when absent); `nil` for
  /// replaceable kinds, whose slot is (pubkey, kind) alone.
  public var dTag: String?

  public init(pubkey: String, kind: Int, dTag: String?) {
    self.pubkey = pubkey
    self.kind = kind
    self.dTag = dTag
  }

  public static func == (lhs: ReplacementKey, rhs: ReplacementKey) -> Bool {
    lhs.kind == rhs.kind && lhs.pubkey.utf8.elementsEqual(rhs.pubkey.utf8)
      && (lhs.dTag?.utf8).elementsEqualOptional(rhs.dTag?.utf8)
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(kind)
    hasher.combine(bytes: pubkey.utf8)
    if let dTag {
      hasher.combine(true)
      hasher.combine(bytes: dTag.utf8)
    } else {
      hasher.combine(false)
    }
  }
}

extension Hasher {
  /// Feeds UTF-8 bytes and their count (so adjacent strings cannot run together).
  mutating func combine(bytes: String.UTF8View) {
    combine(bytes.count)
    for byte in bytes { combine(byte) }
  }
}

extension Optional where Wrapped == String.UTF8View {
  func elementsEqualOptional(_ other: String.UTF8View?) -> Bool {
    switch (self, other) {
    case (nil, nil): true
    case (let a?, let b?): a.elementsEqual(b)
    default: false
    }
  }
}

extension String {
  /// Byte-exact equality of the UTF-8 encodings (Swift's `==` treats canonically equivalent
  /// strings, such as NFC and NFD forms, as equal; Nostr compares bytes).
  @inline(__always)
  func utf8Equals(_ other: String) -> Bool { utf8.elementsEqual(other.utf8) }
}

extension NostrEvent {
  /// NIP-01 storage class of this event's kind.
  public var kindClass: KindClass { KindClass(kind: kind) }

  /// The value of the first tag named `d` (its second element), `""` when there is no `d` tag
  /// or the first one has no value (NIP-01 addressable events). Compared exactly, byte for
  /// byte: `%`, `_`, quotes and backslashes have no special meaning.
  public var dTagValue: String {
    for tag in tags where tag.first?.utf8Equals("d") == true {
      return tag.count > 1 ? tag[1] : ""
    }
    return ""
  }

  /// The slot this event replaces within, or `nil` for regular and ephemeral events.
  public var replacementKey: ReplacementKey? {
    switch kindClass {
    case .replaceable: ReplacementKey(pubkey: pubkey, kind: kind, dTag: nil)
    case .addressable: ReplacementKey(pubkey: pubkey, kind: kind, dTag: dTagValue)
    case .regular, .ephemeral: nil
    }
  }

  /// `true` when this event wins over `other` for the same ``ReplacementKey`` (NIP-01): it is
  /// newer, or has the same `created_at` and the lower id. Ids compare as UTF-8 bytes, which
  /// for lowercase hex is the order of the 32-byte values and SQLite's `BINARY` collation.
  public func supersedes(_ other: NostrEvent) -> Bool {
    if createdAt != other.createdAt { return createdAt > other.createdAt }
    return id.utf8.lexicographicallyPrecedes(other.id.utf8)
  }

  /// Query order: newest first (`created_at` descending), then id ascending.
  public static func queryOrder(_ a: NostrEvent, _ b: NostrEvent) -> Bool {
    if a.createdAt != b.createdAt { return a.createdAt > b.createdAt }
    return a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
  }
}
