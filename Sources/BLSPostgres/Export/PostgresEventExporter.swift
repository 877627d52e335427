import Glibc
import Nostr

/// Reads every event of a PostgreSQL database's `events` table, a page at a time, for
/// `bls-fcgi export` and `bls-fcgi copy` from `DATABASE_URL` (docs/operations.md, Moving
/// between SQLite and PostgreSQL).
///
/// - One snapshot: ``forEach(now:_:)`` reads inside one `REPEATABLE READ, READ ONLY`
///   transaction (PostgreSQL § 13.2.2 "Repeatable Read Isolation Level"), so it sees the
///   events committed when it starts, whatever the nodes store meanwhile; it blocks no writer.
/// - Bounded memory: pages are keyset ranges of the primary key (`id > last ORDER BY id`), at
///   most ``pageRows`` events and, past the first event of a page, at most ``pageBytes`` of
///   content and tags; one page is held at a time.
/// - Plain reads of the `events` columns (``PGFilterQuery/columns``): no migration, no write,
///   so a database of a newer BLS release, or one BLS never opened, is read as it is.
public final class PostgresEventExporter {
  /// Most events read in one page.
  public static let pageRows = 1000
  /// Most bytes of `content`, `content_json` and `tags` in one page, past its first event.
  public static let pageBytes = 4 << 20

  /// `postgresql://host:port/db`: never the user or password.
  public let storageDescription: String
  private let db: PGConnection

  /// Connects to `url` (a libpq URI, `postgres://` or `postgresql://`) and checks that it has
  /// an `events` table it can read. Errors never hold the password.
  public init(url: String, applicationName: String = "bls-export") throws(PostgresOpenError) {
    try PostgresEventStore.validate(url: url)
    do {
      db = try PGConnection.connect(url: url, applicationName: applicationName)
    } catch {
      throw PostgresEventStore.connectFailure(url: url, error)
    }
    storageDescription = db.safeDescription
    do {
      try db.query("SELECT \(PGFilterQuery.columns) FROM events LIMIT 0", [])
    } catch {
      db.close()
      if error.sqlState == "42P01" {
        throw PostgresOpenError(
          code: "database_missing", message: "\(storageDescription) has no events table (BLS never stored there)")
      }
      throw PostgresOpenError(error, doing: "reading events in \(storageDescription)")
    }
  }

  deinit { db.close() }

  /// The connection's server process id (`pg_backend_pid()`), for tests.
  var backendPID: Int32 { db.backendPID }

  /// Rows in `events` now (for a progress bar; ``forEach(now:_:)`` may read a few more or
  /// fewer if nodes store meanwhile).
  public func count() throws(EventStoreError) -> Int64 {
    do {
      let rows = try db.query("SELECT count(*) FROM events", []).rows
      return (rows.first?.first ?? nil).flatMap { Int64($0) } ?? 0
    } catch {
      throw EventStoreError(error)
    }
  }

  /// Calls `body` with each event in id order (byte order), except those whose NIP-40
  /// expiration is at or before `now` (Unix seconds), which are never exported. A row that
  /// cannot be decoded stops the reading with a `corrupt` error naming the event; a lost
  /// connection with `unavailable`; errors `body` throws stop it too and are rethrown.
  /// Returns how many expired events were left out.
  @discardableResult
  public func forEach(now: Int64 = Int64(time(nil)), _ body: (NostrEvent) throws -> Void) throws -> Int {
    do {
      try db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    } catch {
      throw EventStoreError(error)
    }
    defer { _ = try? db.execute("ROLLBACK") }
    var after = ""
    var expired = 0
    while true {
      let events = try page(after: after)
      // A page cut short by the byte bound is not the last one; only an empty page is.
      guard let last = events.last else { return expired }
      after = last.id
      for event in events {
        if case .at(let seconds) = event.expiration, seconds <= now {
          expired += 1
          continue
        }
        try body(event)
      }
    }
  }

  /// The events of the page after id `after` (``pageSQL``), in id order.
  func page(after: String) throws(EventStoreError) -> [NostrEvent] {
    let rows: PGRows
    do {
      rows = try db.run(prepared: Self.pageSQL, [after, String(Self.pageRows), String(Self.pageBytes)])
    } catch {
      throw EventStoreError(error)
    }
    var events: [NostrEvent] = []
    events.reserveCapacity(rows.rows.count)
    for row in rows.rows { events.append(try PostgresEventStore.decode(row)) }
    return events
  }

  /// The next page after `$1`: at most `$2` rows, and every row whose preceding rows of the
  /// page hold fewer than `$3` bytes (so the first always comes, however large). `octet_length`
  /// reads a TOASTed value's size without fetching the value.
  static let pageSQL = """
    SELECT \(PGFilterQuery.columns) FROM (
      SELECT *, sum(size) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING) - size AS before
      FROM (
        SELECT \(PGFilterQuery.columns),
          octet_length(content) + octet_length(tags) + coalesce(octet_length(content_json), 0) AS size
        FROM events WHERE id > $1 ORDER BY id LIMIT $2::integer
      ) AS page
    ) AS sized
    WHERE before < $3::bigint ORDER BY id
    """
}
