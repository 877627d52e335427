/// The role a `FCGI_BEGIN_REQUEST` asks the application to play (FastCGI spec §5.1, §6).
public struct FastCGIRole: RawRepresentable, Hashable, Sendable {
  public let rawValue: UInt16

  public init(rawValue: UInt16) {
    self.rawValue = rawValue
  }

  /// `FCGI_RESPONDER` (§6.2): the only role BLS plays.
  public static let responder = FastCGIRole(rawValue: 1)
  /// `FCGI_AUTHORIZER` (§6.3).
  public static let authorizer = FastCGIRole(rawValue: 2)
  /// `FCGI_FILTER` (§6.4).
  public static let filter = FastCGIRole(rawValue: 3)
}
