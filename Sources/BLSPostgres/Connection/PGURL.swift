import CPostgres

/// What libpq makes of a connection URI's credentials (PostgreSQL § 34.1.1.2 "Connection
/// URIs"), checked before it is used, so that no message can quote a password.
enum PGURL {
  /// `true` when libpq would read part of the user or password of `url` as something else.
  ///
  /// libpq ends the credentials at the first `@`, and finds none when a `/` comes first. A
  /// password holding an `@` or a `/` that is not percent-encoded (`%40`, `%2F`) therefore
  /// spills into the host, the port or the database name — which libpq's own errors and
  /// BLS's `postgresql://host:port/db` then quote. Such a URI is refused, as one holding an
  /// `@` after the host: libpq mistakes them the same way. `@` in the query string
  /// (`?password=…`) is read correctly and accepted.
  static func misreadsCredentials(_ url: String) -> Bool {
    guard let scheme = url.utf8.firstRange(of: "://".utf8) else { return false }
    let rest = url.utf8[scheme.upperBound...]
    // libpq's own look-ahead for the credentials' `@`.
    guard let stop = rest.firstIndex(where: { $0 == UInt8(ascii: "@") || $0 == UInt8(ascii: "/") }) else {
      return false
    }
    if rest[stop] == UInt8(ascii: "@") {
      // Credentials found: the host part that follows must hold no other `@`.
      let host = rest[rest.index(after: stop)...].prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") }
      return host.contains(UInt8(ascii: "@"))
    }
    // No credentials before the `/`: an `@` before the query means they were cut there.
    return rest.prefix { $0 != UInt8(ascii: "?") }.contains(UInt8(ascii: "@"))
  }

  /// The URI's libpq parameters (`PQconninfoParse`: `host`, `port`, `dbname`, `user`, …), or
  /// `nil` when libpq cannot parse it.
  static func parameters(_ url: String) -> [String: String]? {
    var error: UnsafeMutablePointer<CChar>?
    guard let options = PQconninfoParse(url, &error) else {
      if let error { PQfreemem(error) }
      return nil
    }
    defer { PQconninfoFree(options) }
    var values: [String: String] = [:]
    var cursor = options
    while let keyword = cursor.pointee.keyword {
      if let value = cursor.pointee.val { values[String(cString: keyword)] = String(cString: value) }
      cursor += 1
    }
    return values
  }
}
