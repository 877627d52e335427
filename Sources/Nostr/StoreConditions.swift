import Glibc

/// What must still hold when a store takes an event into a transaction: a payment's event is
/// stored only while someone is there to be told it was accepted.
///
/// A store that queues writes (group commit) checks the conditions when its writer takes the
/// event into a batch — the last moment before the transaction that makes it durable — and
/// drops an event that fails them, unstored, completing it with an ``EventStoreError`` whose
/// code is ``EventStoreError/deadlineExceededCode`` or ``EventStoreError/abandonedCode``. An
/// event already in a batch being committed is past that point: it is stored.
public struct StoreConditions: Sendable {
  /// Unix milliseconds after which the event must not be stored (the clock later than it).
  public var deadline: Int64?
  /// True once nobody waits for the answer (the request's peer went away).
  public var isAbandoned: @Sendable () -> Bool

  public init(deadline: Int64? = nil, isAbandoned: @escaping @Sendable () -> Bool = { false }) {
    self.deadline = deadline
    self.isAbandoned = isAbandoned
  }

  /// No condition: store whatever happens.
  public static let always = StoreConditions()

  /// Why the event must not be stored at `now` (Unix ms), or `nil` when it may be.
  public func violation(now: Int64) -> EventStoreError? {
    if isAbandoned() {
      return EventStoreError(
        code: EventStoreError.abandonedCode, message: "the request was abandoned before its event was stored")
    }
    if let deadline, now > deadline {
      return EventStoreError(
        code: EventStoreError.deadlineExceededCode, message: "the request's deadline passed before its event was stored"
      )
    }
    return nil
  }

  /// The wall clock in Unix milliseconds, the clock deadlines are given in.
  public static func wallClockMillis() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
  }
}
