/// An address a NIP-09 deletion names in an `a` tag: `<kind>:<pubkey>:<d>`, the slot of a
/// replaceable (`d` empty) or addressable event.
public struct DeletedAddress: Sendable, Hashable {
  public var kind: Int
  public var pubkey: String
  /// Everything after the second `:`, exactly as written (it may hold `:` itself).
  public var d: String

  public init(kind: Int, pubkey: String, d: String) {
    self.kind = kind
    self.pubkey = pubkey
    self.d = d
  }

  /// The slot this address names, as ``NostrEvent/replacementKey`` keys it: for a
  /// replaceable kind, an address with a non-empty `d` names no slot any event can have.
  public var replacementKey: ReplacementKey {
    ReplacementKey(pubkey: pubkey, kind: kind, dTag: KindClass(kind: kind) == .addressable || !d.isEmpty ? d : nil)
  }
}

extension NostrEvent {
  /// NIP-09: the kind of deletion requests.
  public static let deletionKind = 5

  /// `true` for a NIP-09 deletion request (kind 5).
  public var isDeletion: Bool { kind == Self.deletionKind }

  /// NIP-09: the ids this deletion names — the value of every `e` tag, in order. Only events
  /// with these ids **and this event's pubkey** are deleted; the store checks the author.
  /// Empty for any other kind.
  public var deletedIDs: [String] {
    guard isDeletion else { return [] }
    return tags.compactMap { tag in tag.count > 1 && tag[0].utf8Equals("e") ? tag[1] : nil }
  }

  /// NIP-09: the addresses this deletion names — every `a` tag `<kind>:<pubkey>:<d>` whose
  /// kind is decimal digits naming a replaceable or addressable kind and whose pubkey is this
  /// event's own (nobody deletes another author's address). Other `a` tags are ignored.
  /// Empty for any other kind.
  public var deletedAddresses: [DeletedAddress] {
    guard isDeletion else { return [] }
    return tags.compactMap { tag in
      guard tag.count > 1, tag[0].utf8Equals("a") else { return nil }
      return Self.address(tag[1], author: pubkey)
    }
  }

  /// `<kind>:<pubkey>:<d>` when `kind` is 1–5 digits naming a replaceable or addressable kind
  /// and `pubkey` is exactly `author`.
  static func address(_ text: String, author: String) -> DeletedAddress? {
    let bytes = Array(text.utf8)
    guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), (1...5).contains(colon),
      bytes[..<colon].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
      let kind = Int(String(decoding: bytes[..<colon], as: UTF8.self)), KindClass(kind: kind).isReplaceable
    else { return nil }
    let pubkeyStart = colon + 1
    let pubkeyEnd = pubkeyStart + 64
    guard bytes.count > pubkeyEnd, bytes[pubkeyEnd] == UInt8(ascii: ":"),
      bytes[pubkeyStart..<pubkeyEnd].elementsEqual(author.utf8)
    else { return nil }
    return DeletedAddress(kind: kind, pubkey: author, d: String(decoding: bytes[(pubkeyEnd + 1)...], as: UTF8.self))
  }
}
