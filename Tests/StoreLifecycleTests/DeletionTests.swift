import BLSTestSupport
import Nostr
import Testing
import Threads

/// Issue 14 item 2, the store side, once for every backend (``Backend``): NIP-09 deletions
/// applied in the deletion's transaction and remembered.
@Suite("NIP-09: deletions in every store")
struct DeletionTests {
  @Test("an e tag deletes its author's own event only, and blocks it from coming back", arguments: Backend.available)
  func eTags(_ backend: Backend) throws {
    let subject = try backend.open()
    defer { subject.close() }
    let store = subject.store
    let own = Events.make(content: "alice's")
    let bobs = Events.make(pubkey: Events.bob, content: "bob's")
    _ = try store.store(own)
    _ = try store.store(bobs)
    let deletion = deletion([["e", own.id], ["e", bobs.id], ["k", "1"]])
    #expect(try store.store(deletion) == .stored)
    #expect(try store.event(id: own.id) == nil)
    #expect(try store.event(id: bobs.id) != nil, "another author's event stays")
    #expect(try store.event(id: deletion.id) != nil, "the deletion is kept")
    #expect(try store.isDeleted(own))
    #expect(try !store.isDeleted(bobs))
    #expect(try store.store(own) == .superseded, "accepted, not stored")
    #expect(try store.event(id: own.id) == nil)
    #expect(try store.store(deletion) == .duplicate)
  }

  @Test("a deletion that arrives first still blocks its target", arguments: Backend.available)
  func deletionFirst(_ backend: Backend) throws {
    let subject = try backend.open()
    defer { subject.close() }
    let store = subject.store
    let target = Events.make()
    let article = Events.make(createdAt: 90, kind: 30023, tags: [["d", "later"]])
    _ = try store.store(deletion([["e", target.id], ["a", "30023:\(Events.alice):later"]]))
    #expect(try store.isDeleted(target))
    #expect(try store.store(target) == .superseded)
    #expect(try store.event(id: target.id) == nil)
    #expect(try store.isDeleted(article))
    #expect(try store.store(article) == .superseded)
    #expect(try store.event(id: article.id) == nil)
    // The same id under another pubkey is not the author's: not blocked.
    var impostor = target
    impostor.pubkey = Events.bob
    #expect(try !store.isDeleted(impostor))
  }

  @Test("deleting a deletion does nothing: no undelete", arguments: Backend.available)
  func deletingADeletion(_ backend: Backend) throws {
    let subject = try backend.open()
    defer { subject.close() }
    let store = subject.store
    let target = Events.make()
    _ = try store.store(target)
    let first = deletion([["e", target.id]])
    _ = try store.store(first)
    let second = deletion(createdAt: 101, [["e", first.id]])
    _ = try store.store(second)
    #expect(try store.event(id: first.id) != nil)
    #expect(try !store.isDeleted(first))
    #expect(try store.isDeleted(target))
    #expect(try store.store(target) == .superseded)
  }

  @Test("an a tag deletes its address's versions up to the deletion; newer ones may come", arguments: Backend.available)
  func aTags(_ backend: Backend) throws {
    let subject = try backend.open()
    defer { subject.close() }
    let store = subject.store
    let article = Events.make(createdAt: 50, kind: 30023, tags: [["d", "art"]])
    let other = Events.make(createdAt: 50, kind: 30023, tags: [["d", "other"]])
    let profile = Events.make(createdAt: 60, kind: 0)
    let bobsArticle = Events.make(pubkey: Events.bob, createdAt: 50, kind: 30023, tags: [["d", "art"]])
    for event in [article, other, profile, bobsArticle] { _ = try store.store(event) }
    _ = try store.store(
      deletion([
        ["a", "30023:\(Events.alice):art"], ["a", "0:\(Events.alice):"], ["a", "30023:\(Events.bob):art"],
      ]))
    #expect(try store.event(id: article.id) == nil)
    #expect(try store.event(id: profile.id) == nil)
    #expect(try store.event(id: other.id) != nil, "another d")
    #expect(try store.event(id: bobsArticle.id) != nil, "another author's address")
    let atDeletion = Events.make(createdAt: 100, kind: 30023, tags: [["d", "art"]])
    let newer = Events.make(createdAt: 101, kind: 30023, tags: [["d", "art"]])
    #expect(try store.isDeleted(atDeletion), "not newer than the deletion")
    #expect(try store.store(atDeletion) == .superseded)
    #expect(try !store.isDeleted(newer))
    #expect(try store.store(newer) == .stored)
    #expect(try store.store(Events.make(createdAt: 100, kind: 0)) == .superseded)
    #expect(try store.store(Events.make(createdAt: 101, kind: 0)) == .stored)
    // An older deletion of the same address does not move its mark back.
    _ = try store.store(deletion(createdAt: 80, [["a", "30023:\(Events.alice):other"]]))
    _ = try store.store(deletion(createdAt: 70, [["a", "30023:\(Events.alice):art"]]))
    #expect(try store.isDeleted(Events.make(createdAt: 90, kind: 30023, tags: [["d", "art"]])))
    #expect(try store.event(id: other.id) == nil, "deleted at 80")
    // A newer version than the deletion, stored before it, survives it.
    let ahead = Events.make(createdAt: 500, kind: 30023, tags: [["d", "later"]])
    _ = try store.store(ahead)
    _ = try store.store(deletion(createdAt: 400, [["a", "30023:\(Events.alice):later"]]))
    #expect(try store.event(id: ahead.id) != nil)
  }

  @Test("submitted together, in either order, a deletion wins over its targets", arguments: Backend.available)
  func together(_ backend: Backend) throws {
    let subject = try backend.open()
    defer { subject.close() }
    let first = Events.make()
    let second = Events.make()
    let kind5 = deletion([["e", first.id], ["e", second.id]])
    // Queued without waiting, so a writer takes them into one batch or a few.
    let answers = BlockingQueue<Result<StoreOutcome, EventStoreError>>()
    for event in [first, kind5, second] { subject.store.store(event) { answers.push($0) } }
    for _ in 0..<3 { #expect(throws: Never.self) { try answers.pop()!.get() } }
    #expect(try subject.store.event(id: first.id) == nil)
    #expect(try subject.store.event(id: second.id) == nil)
    #expect(try subject.store.event(id: kind5.id) != nil)
  }
}
