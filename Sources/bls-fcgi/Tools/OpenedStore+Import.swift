import BLSPostgres
import BLSStore
import ProcessSupport

extension OpenedStore {
  /// Most events the tools' stores commit in one transaction (``BLSStore/EventImporter``
  /// queues at most 8192 at a time).
  static let importBatchSize = 8192

  /// Opens `database` to store events into (`import`, `copy`): SQLite's `events.db` in a data
  /// directory, created if absent and migrated if older (migration progress is logged), or
  /// PostgreSQL, whose schema is created or migrated as `serve` does. Exits 1 with one line
  /// naming `setting` and the cause, never a password.
  static func openForImport(_ database: EventDatabase, setting: String) -> OpenedStore {
    switch database {
    case .sqlite(let location):
      guard let directory = EventDatabase.dataDirectory(location) else {
        StandardIO.fail(
          "ERROR: \(setting): \(location) is a file; give the data directory to store into (events.db is created in it)"
        )
      }
      var options = SQLiteEventStore.Options(maxBatchSize: importBatchSize)
      options.migrationProgress = MigrationLog.handler()
      do {
        return .sqlite(try SQLiteEventStore(dataDirectory: directory, options: options))
      } catch {
        StandardIO.fail("ERROR: \(setting): \(error.message)")
      }
    case .postgres(let url):
      // No health probe: a tool has no /health, and a lost server fails the events it sends.
      let options = PostgresEventStore.Options(
        maxBatchSize: importBatchSize, maxIdleReaders: 1, applicationName: "bls-import",
        probeIntervalMilliseconds: 0)
      do {
        return .postgres(try PostgresEventStore(url: url, options: options))
      } catch {
        StandardIO.fail("ERROR: \(setting): \(error.message)")
      }
    }
  }

  /// `sqlite:/data/events.db` or `postgresql://host:port/db` (never a password).
  var storageDescription: String { eventStore.storageDescription }
}
