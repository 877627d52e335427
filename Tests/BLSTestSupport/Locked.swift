import Foundation

/// A value behind a lock, shared between test threads.
public final class Locked<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: Value

  public init(_ value: Value) { stored = value }

  /// The current value.
  public var value: Value { lock.withLock { stored } }

  /// Runs `body` on the value with the lock held.
  public func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&stored) } }
}
