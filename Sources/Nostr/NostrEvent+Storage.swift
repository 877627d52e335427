/// The slot a replaceable or addressable event occupies: at most one event per key is stored.
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
}

extension NostrEvent {
  /// NIP-01 storage class of this event's kind.
  public var kindClass: KindClass { KindClass(kind: kind) }

  /// The value of the first tag named `d` (its second element), `""` when there is no `d` tag
  /// or the first one has no value (NIP-01 addressable events). Compared exactly, byte for
  /// byte: `%`, `_`, quotes and backslashes have no special meaning.
  public var dTagValue: String {
    for tag in tags where tag.first == "d" {
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
