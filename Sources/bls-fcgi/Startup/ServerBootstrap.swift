import BLSApp
import BLSFastCGI
import BLSPostgres
import BLSStore
import Glibc
import Nostr
import ProcessSupport

/// Start-up shared by `run` and `serve`: read the configuration, open the store, build the
/// application. Every failure prints its one-line error on stderr and exits 1, before
/// anything is served.
struct ServerBootstrap {
  let configuration: BLSConfiguration
  let store: OpenedStore
  let application: BLSApplication

  /// Reads and validates the environment only (no store); exits 1 with the one-line error.
  static func loadConfiguration(_ environment: Environment = .process) -> BLSConfiguration {
    LogSetup.configure(environment)
    let configuration: BLSConfiguration
    do {
      configuration = try BLSConfiguration.fromEnvironment(environment)
    } catch {
      StandardIO.fail(error.description)
    }
    // Once per stack: `run` says it, the responder it starts (BLS_SUPERVISOR_PID set) does not.
    if ProcessEnvironment.value("NOSTR_SECRET_KEY") != nil && ProcessEnvironment.value(supervisorVariable) == nil {
      Log.warning(
        "NOSTR_SECRET_KEY is given by value; prefer NOSTR_SECRET_KEY_FILE (a file only this user can read, e.g. a Docker or Kubernetes secret)"
      )
    }
    return configuration
  }

  /// Set by `run` for the responder it starts.
  static let supervisorVariable = "BLS_SUPERVISOR_PID"

  /// Reads the configuration and opens the store (fails closed on an unusable `DATA_DIR` or
  /// `DATABASE_URL`), logging the effective configuration and the storage in use.
  static func start(_ environment: Environment = .process) -> ServerBootstrap {
    let configuration = loadConfiguration(environment)
    let store: OpenedStore
    switch configuration.storage {
    case .postgres(let url):
      Log.info("DATABASE_URL is set: events go to PostgreSQL; DATA_DIR is not used")
      do {
        store = .postgres(
          try PostgresEventStore(
            url: url, options: postgresOptions(configuration)))
      } catch {
        StandardIO.fail(error.description)
      }
    case .memory, .directory:
      store = .sqlite(openSQLite(configuration.storage, configuration: configuration))
    }
    Log.info(
      "configuration: \(configuration.summary(includingPort: ProcessEnvironment.value(supervisorVariable) != nil))")
    return ServerBootstrap(
      configuration: configuration, store: store,
      application: BLSApplication(configuration: configuration, store: store.eventStore))
  }

  private static func postgresOptions(_ configuration: BLSConfiguration) -> PostgresEventStore.Options {
    var options = PostgresEventStore.Options(expirationSweepSeconds: configuration.expirationSweepSeconds)
    options.commitDelay = configuration.commitDelay
    return options
  }

  private static func openSQLite(_ location: StorageLocation, configuration: BLSConfiguration) -> SQLiteEventStore {
    let store: SQLiteEventStore
    do {
      var options = SQLiteEventStore.Options(expirationSweepSeconds: configuration.expirationSweepSeconds)
      options.commitDelay = configuration.commitDelay
      switch location {
      case .memory, .postgres:
        store = try SQLiteEventStore(dataDirectory: SQLiteEventStore.memoryDirectory, options: options)
      case .directory(let path):
        // A long migration at open (adopting a reference file) logs its progress and, under
        // `run`, keeps the supervisor's start-up timeout from firing (MigrationLog).
        var options = options
        options.migrationProgress = MigrationLog.handler()
        store = try SQLiteEventStore(dataDirectory: path, options: options)
      }
    } catch {
      StandardIO.fail(error.description)
    }
    if let warning = store.warning { Log.warning(warning) }
    if store.migratedReferenceFile { Log.info("migrated a reference-written events.db to the current schema") }
    if store.reindexedEvents > 0 {
      Log.info(
        "indexed \(store.reindexedEvents) events another program added to events.db; \(store.supersededAtOpen) replaceable ones deleted as superseded by a newer one (NIP-01)"
      )
    }
    return store
  }
}
