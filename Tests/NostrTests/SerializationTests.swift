import JSON
import Nostr
import Testing

@Suite("NIP-01 serialization and signing")
struct SerializationTests {
  static let secret = try! SecretKey(hex: "bd3a34db5191c6d5ab0513597c6534ef96a9c69513e505eb96aaf66d389fe3b5")

  @Test func escapesLikeJSONStringify() {
    let event = NostrEvent(
      id: "", pubkey: "ab", createdAt: 5, kind: 7,
      tags: [["e", "q\"b\\s"], []], content: "a\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}é\u{2028}😀/", sig: "")
    let text = String(decoding: event.serializationForID, as: UTF8.self)
    #expect(text == #"[0,"ab",5,7,[["e","q\"b\\s"],[]],"a\n\r\t\b\f\u0000\u001f"# + "\u{7f}é\u{2028}😀/\"]")
  }

  @Test func signedEventsVerifyAndDetectTampering() throws {
    let event = NostrEvent.signed(
      secretKey: Self.secret, createdAt: 1_700_000_123, kind: 30023, tags: [["d", "slug"]], content: "body")
    try event.verify()
    #expect(event.id == event.computedID)
    #expect(event.pubkey == Self.secret.publicKey.hex)

    var tampered = event
    tampered.content = "other"
    #expect(throws: NostrEventError.idMismatch) { try tampered.verify() }

    var resigned = event
    resigned.sig =
      NostrEvent.signed(
        secretKey: SecretKey.generate(), createdAt: 1, kind: 1, content: ""
      ).sig
    #expect(throws: NostrEventError.badSignature) { try resigned.verify() }

    var uppercaseID = event
    uppercaseID.id = event.id.uppercased()
    #expect(throws: NostrEventError.idMismatch) { try uppercaseID.verify() }
  }

  @Test func tagsJSONRoundTrips() throws {
    let tags = [["d", "100%_\"quoted\""], ["t", "line\nbreak"], []]
    let event = NostrEvent(id: "", pubkey: "", createdAt: 0, kind: 1, tags: tags, content: "", sig: "")
    #expect(event.tagsJSON == #"[["d","100%_\"quoted\""],["t","line\nbreak"],[]]"#)
    #expect(try NostrEvent.tags(fromJSON: event.tagsJSON) == tags)
    #expect(throws: NostrEventError.self) { try NostrEvent.tags(fromJSON: "[[1]]") }
    #expect(throws: NostrEventError.self) { try NostrEvent.tags(fromJSON: "nope") }
  }
}
