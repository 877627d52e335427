import ArgumentParser
import BLSPostgres
import BLSStore
import ProcessSupport

/// `bls-fcgi migrate`: brings $DATA_DIR/events.db to the current schema, and stops.
struct MigrateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "migrate",
    abstract: "Bring events.db to the current schema now (ahead of a deploy), then exit.",
    discussion: """
      Opens $DATA_DIR/events.db (DATA_DIR or DATA_DIR_FILE, default /data; no other variable \
      is needed) as the server would at start, and migrates it: a file written by the \
      reference (TypeScript) BLS is adopted (tag index, address table, older versions of \
      replaceable events deleted as NIP-01 requires), an older BLS schema is brought up to \
      date, and events another program added are indexed. Progress (step, rows, rate) is a \
      bar on a terminal and a log line every 5 seconds otherwise. A file already current is \
      left as it is.

      With DATABASE_URL (or DATABASE_URL_FILE) set, it migrates that PostgreSQL database \
      instead, as a node does at start (under the advisory lock, so running nodes and other \
      migrations wait for it).

      Run it while BLS is stopped. Exit status 0 when the database is current; 1 with one \
      line otherwise.
      """)

  func run() throws {
    if case .postgres(let url) = EventDatabase.fromEnvironment() {
      migratePostgreSQL(url)
      return
    }
    let directory = DataDirectorySetting.directory()
    var options = SQLiteEventStore.Options()
    options.migrationProgress = MigrationLog.handler()
    let store: SQLiteEventStore
    do {
      store = try SQLiteEventStore(dataDirectory: directory, options: options)
    } catch {
      StandardIO.fail(error.description)
    }
    let from = store.openedSchemaVersion
    store.close()
    var line = "migrate: \(store.storageDescription) "
    if store.migratedReferenceFile {
      line += "adopted from the reference's format"
    } else if from == 0 {
      line += "created (there was no database)"
    } else {
      line += "was at schema version \(from); now current"
    }
    if store.reindexedEvents > 0 {
      line += "; indexed \(store.reindexedEvents) events another program added, \(store.supersededAtOpen) superseded"
    }
    Log.info(line)
  }

  /// Opens the PostgreSQL store (which migrates it) and closes it again.
  private func migratePostgreSQL(_ url: String) {
    let options = PostgresEventStore.Options(
      maxBatchSize: 1, maxIdleReaders: 1, applicationName: "bls-migrate", probeIntervalMilliseconds: 0)
    let store: PostgresEventStore
    do {
      store = try PostgresEventStore(url: url, options: options)
    } catch {
      StandardIO.fail(error.description)
    }
    let from = store.openedSchemaVersion
    store.close()
    let state = from == 0 ? "created (there was no BLS schema)" : "was at schema version \(from); now current"
    Log.info("migrate: \(store.storageDescription) \(state)")
  }
}
