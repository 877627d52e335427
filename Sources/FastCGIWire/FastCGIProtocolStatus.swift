/// The `protocolStatus` of a `FCGI_END_REQUEST` record (FastCGI spec §5.5).
public enum FastCGIProtocolStatus: UInt8, Sendable {
  /// `FCGI_REQUEST_COMPLETE`: normal end of a request.
  case requestComplete = 0
  /// `FCGI_CANT_MPX_CONN`: a second request on a connection that carries one at a time.
  case cantMultiplexConnection = 1
  /// `FCGI_OVERLOADED`: the application is out of some resource.
  case overloaded = 2
  /// `FCGI_UNKNOWN_ROLE`: a role the application does not play.
  case unknownRole = 3
}
