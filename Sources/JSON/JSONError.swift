/// Why a JSON text was rejected, with the byte offset where the problem was found.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Byte offset into the input.
  public let offset: Int
  /// What rule the input broke.
  public let reason: String

  public init(offset: Int, reason: String) {
    self.offset = offset
    self.reason = reason
  }

  public var description: String { "\(reason) at byte \(offset)" }
}
