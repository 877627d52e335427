import BLSTestSupport
import Foundation
import Nostr
import Testing
import Threads

/// Issue 14 item 1, the store side, once for every backend (``Backend``): stored events with a
/// NIP-40 expiration are deleted by the writer's sweep once it is due, not before.
@Suite("NIP-40: the expiration sweep in every store")
struct ExpirationTests {
  @Test("an event is deleted once its expiration is reached, not before; others stay", arguments: Backend.available)
  func deletedWhenDue(_ backend: Backend) throws {
    let subject = try backend.open()
    defer { subject.close() }
    let soon = Events.make(tags: [["expiration", "1000"]])
    let later = Events.make(tags: [["expiration", "2000"]])
    let forever = Events.make()
    let malformed = Events.make(tags: [["expiration", "x"]])
    for event in [soon, later, forever, malformed] { _ = try subject.store.store(event) }
    #expect(try subject.sweep(999) == 0)
    #expect(try subject.store.event(id: soon.id) != nil)
    #expect(try subject.sweep(1000) == 1)
    #expect(try subject.store.event(id: soon.id) == nil)
    #expect(try subject.store.event(id: later.id) != nil)
    #expect(try subject.sweep(5000) == 1)
    #expect(try subject.store.query([NostrFilter()]).map(\.id).sorted() == [forever.id, malformed.id].sorted())
    #expect(try subject.sweep(Int64.max) == 0)
  }

  @Test("a replaced event takes its expiration with it; the new version's counts", arguments: Backend.available)
  func replacement(_ backend: Backend) throws {
    let subject = try backend.open()
    defer { subject.close() }
    let old = Events.make(createdAt: 10, kind: 0, tags: [["expiration", "1000"]])
    let new = Events.make(createdAt: 11, kind: 0, tags: [["expiration", "3000"]])
    _ = try subject.store.store(old)
    _ = try subject.store.store(new)
    #expect(try subject.sweep(2000) == 0)
    #expect(try subject.store.event(id: new.id) != nil)
    #expect(try subject.sweep(3000) == 1)
    // The address is free again: the swept version itself may be stored again (nothing of it
    // is left to make it a duplicate), and then, once that is swept too, an older version.
    #expect(try subject.store.store(new) == .stored)
    #expect(try subject.store.event(id: new.id) != nil)
    #expect(try subject.sweep(3000) == 1)
    #expect(try subject.store.store(old) == .stored)
  }

  @Test("a backlog larger than one pass is swept whole", arguments: Backend.available)
  func backlog(_ backend: Backend) throws {
    let subject = try backend.open()
    defer { subject.close() }
    let events = (0..<1203).map { Events.make(tags: [["expiration", "\(100 + $0 % 7)"]]) }
    let answers = BlockingQueue<Void>()
    for event in events { subject.store.store(event) { _ in answers.push(()) } }
    for _ in events { _ = answers.pop() }
    #expect(try subject.sweep(102) == 172 * 3)
    #expect(try subject.sweep(200) == 1203 - 172 * 3)
    #expect(try subject.store.query([NostrFilter()]).isEmpty)
  }

  @Test("the writer sweeps on its own every BLS_EXPIRATION_SWEEP_SECONDS", arguments: Backend.queued)
  func periodic(_ backend: Backend) throws {
    let subject = try backend.open(sweepSeconds: 1)
    defer { subject.close() }
    // The clock the sweep reads: 1_000_000 (set through a sweep of nothing).
    _ = try subject.sweep(1_000_000)
    let expiring = Events.make(tags: [["expiration", "999999"]])
    let kept = Events.make(tags: [["expiration", "1000001"]])
    _ = try subject.store.store(expiring)
    _ = try subject.store.store(kept)
    // Waits for the sweep, not a time: a pass runs about a second later, whatever the load;
    // the bound only stops a broken sweep from hanging the run.
    let giveUp = Date().addingTimeInterval(60)
    while try subject.store.event(id: expiring.id) != nil, Date() < giveUp { usleep(20_000) }
    #expect(try subject.store.event(id: expiring.id) == nil)
    #expect(try subject.store.event(id: kept.id) != nil)
  }
}
