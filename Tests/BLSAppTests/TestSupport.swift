import BLSApp
import BLSTestSupport
import ExtrasBase64
import Foundation
import JSON
import Nostr
import TOON
import Threads

/// Builders for in-process tests: a configured app over an in-memory store, signed events.
enum Fixture {
  static let secret = "16b6c6f760f4a342c29f413fa99d658126ef5bd17362aff1eba1eb4af20627bf"
  static let now: Int64 = 1_700_000_000_000

  static func app(
    _ extra: [String: String] = [:], store: any EventStore = InMemoryEventStore(), now: Int64 = now
  ) throws -> BLSApplication {
    try app(extra, store: store, clock: { now })
  }

  static func app(
    _ extra: [String: String] = [:], store: any EventStore = InMemoryEventStore(),
    clock: @escaping @Sendable () -> Int64
  ) throws -> BLSApplication {
    var env = ["NODE_ID": "node-a", "NOSTR_SECRET_KEY": secret, "ILP_ADDRESS": "g.example.bls"]
    env.merge(extra) { $1 }
    return BLSApplication(
      configuration: try BLSConfiguration.fromEnvironment(Environment(env)), store: store, clock: clock)
  }

  /// A clock that reads `first` once (the request's arrival), then `later` ever after (when
  /// the request is decided): a request that took `later - first` ms, with no waiting.
  static func steppingClock(first: Int64 = now, later: Int64) -> @Sendable () -> Int64 {
    clock(reads: [first, later])
  }

  /// A clock whose successive reads are `reads`, the last repeated ever after.
  static func clock(reads: [Int64]) -> @Sendable () -> Int64 {
    let count = Locked(0)
    return {
      count.withLock { n in
        n += 1
        return reads[min(n, reads.count) - 1]
      }
    }
  }

  /// `expiresAt` one minute after ``now`` (2023-11-14T22:13:20Z).
  static let future = "2023-11-14T22:14:20.000Z"

  /// A /handle-packet body in the connector's shape (`local-delivery-client.ts`).
  static func packetBody(
    _ toon: [UInt8]?, amount: JSONValue, expiresAt: String = future, extra: JSONObject = JSONObject()
  ) -> [UInt8] {
    var body: JSONObject = [
      "paymentId": "p-1", "destination": "g.example.bls", "amount": amount, "expiresAt": .string(expiresAt),
    ]
    if let toon { body["data"] = .string(Base64.encodeToString(bytes: toon)) }
    for member in extra { body[member.key] = member.value }
    return JSONValue.object(body).serializedBytes
  }

  static func event(
    kind: Int = 1, content: String = "hello", tags: [[String]] = [], createdAt: Int64 = 1_700_000_000,
    key: SecretKey? = nil
  ) throws -> NostrEvent {
    let key = try key ?? SecretKey(hex: "7f7ff03d123792d6ac594bfa67bf6d0c0ab55b6b1fdb6249303fe861f1ccba9a")
    return NostrEvent.signed(secretKey: key, createdAt: createdAt, kind: kind, tags: tags, content: content)
  }

  static func toon(_ event: NostrEvent) -> [UInt8] {
    Array(TOONEncoder().encode(event.jsonValue).utf8)
  }

  static func paymentBody(_ toon: [UInt8], amount: JSONValue) -> [UInt8] {
    JSONValue.object([
      "amount": amount, "destination": "g.example.bls", "data": .string(Base64.encodeToString(bytes: toon)),
    ]).serializedBytes
  }

  static func post(_ path: String, _ body: [UInt8], headers: [String: String] = [:]) -> HTTPRequest {
    HTTPRequest(
      method: "POST", path: path, headers: headers.merging(["Content-Type": "application/json"]) { $1 }, body: body)
  }
}

extension HTTPResponse {
  var json: JSONValue { (try? JSONValue.parse(body)) ?? .null }
}

/// A store that counts what reaches it and stores nothing: proof that a refused payment never
/// got as far as the store.
final class RecordingStore: EventStore {
  let received = Locked<[NostrEvent]>([])
  func store(_ event: NostrEvent, completion: @escaping StoreCompletion) {
    received.withLock { $0.append(event) }
    completion(.success(.stored))
  }
  func store(_ event: NostrEvent, conditions: StoreConditions, completion: @escaping StoreCompletion) {
    received.withLock { $0.append(event) }
    completion(.success(.stored))
  }
  func event(id: String) throws(EventStoreError) -> NostrEvent? { nil }
  func query(_ filters: [NostrFilter]) throws(EventStoreError) -> [NostrEvent] { [] }
  var storageDescription: String { "recording" }
}

/// A store that drops every event as past its deadline, as the SQLite writer will when a
/// batch forms too late; it records the deadline it was given.
final class LateBatchStore: EventStore {
  let deadlines = Locked<[Int64]>([])
  func store(_ event: NostrEvent, completion: @escaping StoreCompletion) {
    completion(
      .failure(EventStoreError(code: "unexpected", message: "only store(_:conditions:completion:) is expected")))
  }
  func store(_ event: NostrEvent, conditions: StoreConditions, completion: @escaping StoreCompletion) {
    deadlines.withLock { $0.append(conditions.deadline ?? -1) }
    completion(.failure(EventStoreError(code: EventStoreError.deadlineExceededCode, message: "batch formed too late")))
  }
  func event(id: String) throws(EventStoreError) -> NostrEvent? { nil }
  func query(_ filters: [NostrFilter]) throws(EventStoreError) -> [NostrEvent] { [] }
  var storageDescription: String { "late" }
}

/// A store whose writes always fail, as a full disk does.
final class FailingStore: EventStore {
  func store(_ event: NostrEvent, completion: @escaping StoreCompletion) {
    completion(.failure(EventStoreError(code: "disk_full", message: "database or disk is full")))
  }
  func event(id: String) throws(EventStoreError) -> NostrEvent? { nil }
  func query(_ filters: [NostrFilter]) throws(EventStoreError) -> [NostrEvent] { [] }
  var storageDescription: String { "failing" }
}

/// An in-memory store that completes ``EventStore/store(_:completion:)`` later, on a thread
/// of its own, as the SQLite store's writer does.
final class LaterStore: EventStore {
  let inner = InMemoryEventStore()
  let failing: Bool
  init(failing: Bool = false) { self.failing = failing }
  func store(_ event: NostrEvent, completion: @escaping StoreCompletion) {
    Thread.detachNewThread {
      usleep(1000)
      if self.failing {
        completion(.failure(EventStoreError(code: "disk_full", message: "database or disk is full")))
      } else {
        self.inner.store(event, completion: completion)
      }
    }
  }
  func event(id: String) throws(EventStoreError) -> NostrEvent? { try inner.event(id: id) }
  func query(_ filters: [NostrFilter]) throws(EventStoreError) -> [NostrEvent] { try inner.query(filters) }
  var storageDescription: String { "later" }
}

/// Runs `app.handle(_:respond:)` and waits for the answer, however it comes; also returns how
/// it came (`immediate`) and how many times `respond` was called.
func deferredAnswer(_ app: BLSApplication, _ request: HTTPRequest) -> (
  response: HTTPResponse?, immediate: Bool, responds: Int
) {
  let answers = Locked<[HTTPResponse]>([])
  let immediate = app.handle(request) { response in answers.withLock { $0.append(response) } }
  let deadline = Date().addingTimeInterval(10)
  while immediate == nil && answers.withLock({ $0.isEmpty }) && Date() < deadline { usleep(500) }
  usleep(5000)  // a second, wrong call to respond would land here
  let all = answers.withLock { $0 }
  return (immediate ?? all.first, immediate != nil, all.count)
}
