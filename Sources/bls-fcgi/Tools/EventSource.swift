import BLSPostgres
import BLSStore
import Nostr
import ProcessSupport

/// Every event of a database, read one snapshot at a time with bounded memory, for `export`
/// and `copy`: SQLite in rowid order (``BLSStore/EventExporter``), PostgreSQL in id order,
/// a keyset page at a time (``BLSPostgres/PostgresEventExporter``). Expired events are left
/// out by both.
enum EventSource {
  case sqlite(EventExporter, path: String)
  case postgres(PostgresEventExporter)

  /// Opens `database` for reading, or exits 1 with one line naming `setting` (the variable or
  /// option it came from) and the cause, never a password. Never creates or migrates anything.
  static func open(_ database: EventDatabase, setting: String) -> EventSource {
    switch database {
    case .sqlite(let location):
      let path = EventDatabase.databaseFile(location)
      do {
        return .sqlite(try EventExporter(databasePath: path), path: path)
      } catch {
        // The exporter's fix names DATA_DIR; an option names a path of its own.
        if error.code == "database_missing" && setting.hasPrefix("--") {
          StandardIO.fail(
            "ERROR: \(setting): \(path) does not exist; give a data directory holding events.db, or a database file")
        }
        StandardIO.fail("ERROR: \(setting): \(error.message)")
      }
    case .postgres(let url):
      do {
        return .postgres(try PostgresEventExporter(url: url))
      } catch {
        StandardIO.fail("ERROR: \(setting): \(error.message)")
      }
    }
  }

  /// `sqlite:/data/events.db` or `postgresql://host:port/db`.
  var storageDescription: String {
    switch self {
    case .sqlite(_, let path): "sqlite:\(path)"
    case .postgres(let exporter): exporter.storageDescription
    }
  }

  /// Events stored now, for a progress bar's total.
  func count() throws -> Int64 {
    switch self {
    case .sqlite(let exporter, _): try exporter.count()
    case .postgres(let exporter): try exporter.count()
    }
  }

  /// Calls `body` with every event not expired; returns how many expired ones were left out.
  @discardableResult
  func forEach(_ body: (NostrEvent) throws -> Void) throws -> Int {
    switch self {
    case .sqlite(let exporter, _): try exporter.forEach(body)
    case .postgres(let exporter): try exporter.forEach(body)
    }
  }
}
