/// Why a name-value pair stream was refused (FastCGI spec §3.4).
public struct FastCGINameValueError: Error, Sendable, Hashable, CustomStringConvertible {
  /// Stable machine-readable code: `"truncated"` or `"too_large"`.
  public let code: String
  /// Human-readable detail.
  public let message: String

  public init(code: String, message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { "\(code): \(message)" }

  /// The stream ends inside the pair that starts at `offset`: a length, the name or the value
  /// runs past the end.
  public static func truncated(offset: Int) -> FastCGINameValueError {
    FastCGINameValueError(code: "truncated", message: "the pair at byte \(offset) runs past the end")
  }

  /// The stream, or a pair's declared lengths, exceed `limit` bytes.
  public static func tooLarge(limit: Int) -> FastCGINameValueError {
    FastCGINameValueError(code: "too_large", message: "name-value pairs exceed \(limit) bytes")
  }
}
