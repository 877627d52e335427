import Nostr
import Testing

/// What a NIP-09 deletion names, as BLS reads its tags.
@Suite("NIP-09 deletion tags")
struct DeletionTagTests {
  static let alice = String(repeating: "a", count: 64)
  static let bob = String(repeating: "b", count: 64)

  func deletion(_ tags: [[String]], kind: Int = 5) -> NostrEvent {
    NostrEvent(
      id: String(repeating: "0", count: 64), pubkey: Self.alice, createdAt: 100, kind: kind, tags: tags, content: "",
      sig: String(repeating: "2", count: 128))
  }

  @Test func eTags() {
    let event = deletion([["e", "x1"], ["p", "y"], ["e"], ["e", "x2", "relay"], ["E", "x3"]])
    #expect(event.deletedIDs == ["x1", "x2"])
    #expect(deletion([["e", "x1"]], kind: 1).deletedIDs.isEmpty, "only kind 5 deletes")
  }

  @Test(
    "a tags: own replaceable or addressable addresses only",
    arguments: [
      ("30023:\(alice):art", DeletedAddress(kind: 30023, pubkey: alice, d: "art")),
      ("30023:\(alice):", DeletedAddress(kind: 30023, pubkey: alice, d: "")),
      ("30023:\(alice):a:b:c", DeletedAddress(kind: 30023, pubkey: alice, d: "a:b:c")),
      ("0:\(alice):", DeletedAddress(kind: 0, pubkey: alice, d: "")),
      ("10002:\(alice):", DeletedAddress(kind: 10002, pubkey: alice, d: "")),
      ("030023:\(alice):art", nil),  // more than 5 digits
      ("1:\(alice):", nil),  // a regular kind has no address
      ("20000:\(alice):", nil),  // nor an ephemeral one
      ("30023:\(bob):art", nil),  // another author's address
      ("30023:\(alice)", nil),
      (":\(alice):x", nil),
      ("3x023:\(alice):art", nil),
      ("30023:\(alice.uppercased()):art", nil),
    ] as [(String, DeletedAddress?)])
  func aTags(_ value: String, _ expected: DeletedAddress?) {
    #expect(deletion([["a", value]]).deletedAddresses == (expected.map { [$0] } ?? []))
  }

  @Test func replacementKeys() {
    #expect(
      DeletedAddress(kind: 30023, pubkey: Self.alice, d: "").replacementKey
        == ReplacementKey(pubkey: Self.alice, kind: 30023, dTag: ""))
    #expect(
      DeletedAddress(kind: 0, pubkey: Self.alice, d: "").replacementKey
        == ReplacementKey(pubkey: Self.alice, kind: 0, dTag: nil))
    // A replaceable kind with a d names no slot an event can hold.
    #expect(DeletedAddress(kind: 0, pubkey: Self.alice, d: "x").replacementKey.dTag == "x")
  }
}
