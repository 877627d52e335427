import CPostgres
import Glibc

/// One libpq connection (`PGconn`), used by one thread at a time.
///
/// Statements run with text-format parameters (NUL-terminated C strings: a value must not hold
/// U+0000, which PostgreSQL's `text` cannot store anyway). ``run(prepared:_:)`` prepares each
/// distinct SQL text once per connection (`PQprepare`) and then only sends its parameters.
final class PGConnection: @unchecked Sendable {
  private var handle: OpaquePointer?
  /// Prepared statement names by SQL text.
  private var prepared: [String: String] = [:]

  private init(handle: OpaquePointer) {
    self.handle = handle
  }

  deinit { close() }

  /// Parameters every connection gets: UTF-8 on the wire, a bounded connect, TCP keepalives
  /// so a silent network loss is noticed in seconds. `DATABASE_URL` overrides all but the
  /// encoding (libpq: keywords after the expanded `dbname` win, earlier ones lose).
  private static let defaults: [(String, String)] = [
    ("connect_timeout", "10"), ("keepalives_idle", "10"), ("keepalives_interval", "5"),
    ("keepalives_count", "3"),
  ]

  /// libpq keywords and values for `url`: ``defaults``, then the URL, then UTF-8.
  static func parameters(url: String, applicationName: String) -> [(String, String)] {
    defaults + [("application_name", applicationName), ("dbname", url), ("client_encoding", "UTF8")]
  }

  /// `PQpingParams`: `true` when the server at `url` accepts connections (no session is
  /// opened, no password sent; at most `timeoutSeconds` to answer).
  static func ping(url: String, timeoutSeconds: Int) -> Bool {
    let pairs = parameters(url: url, applicationName: "bls-probe") + [("connect_timeout", String(timeoutSeconds))]
    return withCStringArray(pairs.map(\.0)) { keywords in
      withCStringArray(pairs.map(\.1)) { values in PQpingParams(keywords, values, 1) }
    } == PQPING_OK
  }

  /// Connects to `url` (a libpq connection string or URI) as `applicationName`, and sets the
  /// session up for the store: `synchronous_commit = on` (a COMMIT returns only once its WAL
  /// is flushed; PostgreSQL § 20.5 "Write Ahead Log") and READ COMMITTED transactions.
  static func connect(url: String, applicationName: String) throws(PGError) -> PGConnection {
    let pairs = parameters(url: url, applicationName: applicationName)
    let handle = withCStringArray(pairs.map(\.0)) { keywords in
      withCStringArray(pairs.map(\.1)) { values in
        PQconnectdbParams(keywords, values, 1)
      }
    }
    guard let handle else {
      throw PGError(sqlState: nil, message: "out of memory opening a PostgreSQL connection", connectionLost: true)
    }
    let connection = PGConnection(handle: handle)
    guard PQstatus(handle) == CONNECTION_OK else {
      let message = String(cString: PQerrorMessage(handle))
      connection.close()
      throw PGError(sqlState: nil, message: message, connectionLost: true)
    }
    try connection.execute(
      "SET synchronous_commit = on; SET default_transaction_isolation = 'read committed'; SET client_min_messages = warning"
    )
    return connection
  }

  /// `false` once libpq has seen the connection fail.
  var isHealthy: Bool { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

  /// The server's process id for this session (`pg_backend_pid()`).
  var backendPID: Int32 { handle.map { PQbackendPID($0) } ?? 0 }

  /// Where the connection went, without user or password: `postgresql://host:port/db`.
  var safeDescription: String {
    guard let handle else { return "postgresql://" }
    let host = PQhost(handle).map { String(cString: $0) } ?? ""
    let port = PQport(handle).map { String(cString: $0) } ?? ""
    let db = PQdb(handle).map { String(cString: $0) } ?? ""
    let shownHost = host.hasPrefix("/") ? "[\(host)]" : host
    return "postgresql://\(shownHost)\(port.isEmpty ? "" : ":\(port)")/\(db)"
  }

  func close() {
    if let handle { PQfinish(handle) }
    handle = nil
    prepared = [:]
  }

  /// Runs `sql` (one or more statements, no parameters).
  func execute(_ sql: String) throws(PGError) {
    guard let handle else { throw Self.closedError }
    let result = PQexec(handle, sql)
    _ = try check(result)
  }

  /// Runs one statement with parameters, unprepared; returns its rows.
  @discardableResult
  func query(_ sql: String, _ parameters: [String?]) throws(PGError) -> PGRows {
    guard let handle else { throw Self.closedError }
    let result = Self.withParameters(parameters) { count, values in
      PQexecParams(handle, sql, count, nil, values, nil, nil, 0)
    }
    return try check(result)
  }

  /// Runs one statement with parameters, preparing it on first use on this connection.
  @discardableResult
  func run(prepared sql: String, _ parameters: [String?]) throws(PGError) -> PGRows {
    guard let handle else { throw Self.closedError }
    let name: String
    if let known = prepared[sql] {
      name = known
    } else {
      name = "bls_\(prepared.count)"
      _ = try check(PQprepare(handle, name, sql, Int32(parameters.count), nil))
      prepared[sql] = name
    }
    let result = Self.withParameters(parameters) { count, values in
      PQexecPrepared(handle, name, count, values, nil, nil, 0)
    }
    return try check(result)
  }

  private static let closedError = PGError(sqlState: nil, message: "the connection is closed", connectionLost: true)

  /// Reads a result into rows, or throws its error; frees it either way.
  private func check(_ result: OpaquePointer?) throws(PGError) -> PGRows {
    defer { PQclear(result) }
    let status = result.map { PQresultStatus($0) } ?? PGRES_FATAL_ERROR
    switch status {
    case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
      return PGRows(result!)
    default:
      let sqlState = result.flatMap { bls_pq_sqlstate($0) }.map { String(cString: $0) }
      let message =
        result.flatMap { bls_pq_primary_message($0) }.map { String(cString: $0) }
        ?? handle.map { String(cString: PQerrorMessage($0)) } ?? "no connection"
      throw PGError(sqlState: sqlState, message: message, connectionLost: !isHealthy)
    }
  }

  /// Calls `body` with C pointers to `parameters` (`NULL` for `nil`), alive for the call.
  private static func withParameters<T>(
    _ parameters: [String?], _ body: (Int32, UnsafePointer<UnsafePointer<CChar>?>?) -> T
  ) -> T {
    var buffer: [CChar] = []
    var offsets: [Int?] = []
    offsets.reserveCapacity(parameters.count)
    for parameter in parameters {
      guard let parameter else {
        offsets.append(nil)
        continue
      }
      offsets.append(buffer.count)
      for byte in parameter.utf8 { buffer.append(CChar(bitPattern: byte)) }
      buffer.append(0)
    }
    return buffer.withUnsafeBufferPointer { bytes in
      let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in offset.map { bytes.baseAddress! + $0 } }
      return pointers.withUnsafeBufferPointer { body(Int32(parameters.count), $0.baseAddress) }
    }
  }
}

/// Calls `body` with a NULL-terminated array of C strings, alive for the call.
func withCStringArray<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
  let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
  defer { for copy in copies { free(copy) } }
  let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
  return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
