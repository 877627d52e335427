import ExtrasBase64
import HTTPCore
import JSON
import Nostr
import TOON

/// The decision of docs/contract.md § POST /handle-payment, steps 2–10, shared by both dialects:
/// decode, verify, price, store. Pure apart from the ``EventStore`` it is given.
public struct PaymentDecider: Sendable {
  /// What the caller learns when a payment is accepted.
  public struct Acceptance: Sendable, Equatable {
    /// The stored (or already stored, or superseded) event's id.
    public var eventID: String
    /// base64(sha256(UTF-8 bytes of the event id hex)): the ILP fulfillment.
    public var fulfillment: String
    /// When the decision was made, Unix milliseconds.
    public var storedAt: Int64
    /// What the store did.
    public var outcome: StoreOutcome
  }

  /// Deepest TOON nesting an event needs: root object → `tags` array → one tag.
  static let eventNestingDepth = 4

  public let pricing: PricingPolicy
  public let maxEventBytes: Int
  public let maxTags: Int
  public let store: any EventStore
  /// `BLS_MAX_FUTURE_SECONDS`, `BLS_MAX_PAST_SECONDS` (step 4a).
  public let createdAtWindow: CreatedAtWindow
  /// The application's clock, Unix milliseconds: read for step 4a only when an event needs it
  /// (a window is set, or the event has an `expiration` tag).
  let clock: @Sendable () -> Int64

  public init(
    pricing: PricingPolicy, maxEventBytes: Int, maxTags: Int, store: any EventStore,
    createdAtWindow: CreatedAtWindow = CreatedAtWindow(),
    clock: @escaping @Sendable () -> Int64 = BLSApplication.systemMillis
  ) {
    self.pricing = pricing
    self.maxEventBytes = maxEventBytes
    self.maxTags = maxTags
    self.store = store
    self.createdAtWindow = createdAtWindow
    self.clock = clock
  }

  /// Step 10 without waiting: stores an event ``checkedEvent(data:amount:executionCondition:)``
  /// returned, unless `deadline` passes first; `completion` runs once the event is durable
  /// (`nil`: stored, already stored or superseded — all accepted) or was not stored, on the
  /// store's thread (``EventStore/store(_:conditions:completion:)``). Whatever the answer costs
  /// to build is best built before calling: that thread is the store's writer.
  ///
  /// The caller checks `deadline` when it decides; the store checks it again when its batch
  /// forms, and an event it drops for it is answered from `deadline` at `clock`'s time:
  /// `expired` when `expiresAt` has passed, else `timedOut`.
  ///
  /// `abandonment` is the request's: once its transport gives up on the answer (the web server
  /// closed the connection), the store leaves the event out of its next batch; the answer then
  /// goes nowhere.
  public func store(
    _ event: NostrEvent, deadline: RequestDeadline, abandonment: RequestAbandonment,
    clock: @escaping @Sendable () -> Int64, completion: @escaping @Sendable (PaymentFailure?) -> Void
  ) {
    let conditions = StoreConditions(deadline: deadline.millis) { abandonment.isAbandoned }
    store.store(event, conditions: conditions) { result in
      switch result {
      case .success: completion(nil)
      case .failure(let error) where error.code == EventStoreError.deadlineExceededCode:
        completion(deadline.failure(at: clock()) ?? .timedOut(limitMillis: deadline.timeoutMillis))
      case .failure(let error): completion(.storageFailed(error))
      }
    }
  }

  /// Steps 2–9: decode, verify, price; the event to store. With an `executionCondition`
  /// (/handle-packet), the decoded data must also meet it (checked right after step 2).
  public func checkedEvent(data: String, amount: JSONValue) throws(PaymentFailure) -> NostrEvent {
    try checkedEvent(data: data, amount: amount, executionCondition: nil)
  }

  func checkedEvent(
    data: String, amount: JSONValue, executionCondition: ExecutionCondition?
  ) throws(PaymentFailure) -> NostrEvent {
    let toon = try decodeBase64(data)
    if let executionCondition, !executionCondition.isMet(byData: toon) {
      throw .conditionMismatch
    }
    let event = try decodeEvent(toon)
    do {
      try event.verify()
    } catch {
      throw .invalidSignature
    }
    try checkLifecycle(event)
    if !pricing.isOwner(event.pubkey) {
      let price = pricing.price(byteCount: toon.count, kind: event.kind)
      let paid = try Amount.parse(amount)
      guard UInt128(paid) >= price else {
        throw .insufficientAmount(
          PriceShortfall(
            required: price, received: paid, kind: event.kind, pricePerByte: pricing.pricePerByte(kind: event.kind),
            bytes: toon.count))
      }
    }
    return event
  }

  /// Step 4a (issue 14), before the owner's exemption and the price, so that nothing is
  /// charged for an event that cannot be kept: a malformed NIP-40 `expiration`, the
  /// `created_at` window, an expiration at or before now, then (asking the store, an indexed
  /// search) a NIP-09 deletion by its author. The clock is read only when one of the first
  /// three needs it.
  func checkLifecycle(_ event: NostrEvent) throws(PaymentFailure) {
    let expiration = event.expiration
    if expiration == .malformed { throw .invalidExpiration }
    if createdAtWindow.isSet || expiration != .none {
      let now = Self.seconds(clock())
      if let failure = createdAtWindow.failure(createdAt: event.createdAt, now: now) { throw failure }
      if case .at(let time) = expiration, time <= now { throw .eventExpired(expiration: time, now: now) }
    }
    guard !event.isDeletion else { return }  // a deletion is never deleted
    let deleted: Bool
    do {
      deleted = try store.isDeleted(event)
    } catch {
      throw .storageFailed(error)
    }
    if deleted { throw .deletedByAuthor }
  }

  /// Unix milliseconds → whole Unix seconds (rounded down).
  static func seconds(_ millis: Int64) -> Int64 {
    millis >= 0 ? millis / 1000 : (millis - 999) / 1000
  }

  static func acceptance(_ event: NostrEvent, _ outcome: StoreOutcome, now: Int64) -> Acceptance {
    Acceptance(
      eventID: event.id, fulfillment: Self.fulfillment(eventID: event.id), storedAt: now, outcome: outcome)
  }

  /// Step 2 with the size bound checked before decoding: standard alphabet only, padding
  /// optional (RFC 4648 §4; §3.2 allows unpadded forms by agreement).
  func decodeBase64(_ data: String) throws(PaymentFailure) -> [UInt8] {
    let encoded = data.utf8
    let estimate = encoded.count / 4 * 3 + (encoded.count % 4 == 0 ? 0 : 2)
    if estimate > maxEventBytes + 2 {
      throw .eventTooLarge(bytes: estimate, limit: maxEventBytes)
    }
    let bytes: [UInt8]
    do {
      bytes = try Base64.decode(
        bytes: encoded, options: encoded.count % 4 == 0 ? [] : [.omitPaddingCharacter])
    } catch {
      throw .invalidBase64
    }
    if bytes.count > maxEventBytes {
      throw .eventTooLarge(bytes: bytes.count, limit: maxEventBytes)
    }
    return bytes
  }

  /// Step 3: UTF-8 TOON → an object with the Nostr event fields of the right types.
  func decodeEvent(_ toon: [UInt8]) throws(PaymentFailure) -> NostrEvent {
    var decoder = TOONDecoder()
    decoder.maxDepth = Self.eventNestingDepth
    let value: JSONValue
    do {
      value = try decoder.decode(toon)
    } catch {
      throw .invalidTOON(error.description)
    }
    guard case .object(let object) = value else {
      throw .invalidTOON("expected an object (a Nostr event), got \(Self.kindName(of: value))")
    }
    if let tags = object["tags"]?.arrayValue, tags.count > maxTags {
      throw .invalidTOON("event has \(tags.count) tags, more than the limit of \(maxTags)")
    }
    do {
      return try NostrEvent(json: value)
    } catch {
      throw .invalidTOON(error.message)
    }
  }

  /// The ILP fulfillment for an event: base64 of sha256 of the id's hex text.
  public static func fulfillment(eventID: String) -> String {
    Base64.encodeToString(bytes: SHA256.hash(Array(eventID.utf8)))
  }

  static func kindName(of value: JSONValue) -> String {
    switch value {
    case .null: "null"
    case .bool: "a boolean"
    case .number: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }
}
