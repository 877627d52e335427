import BLSApp
import BLSFastCGI
import BLSStore
import Nostr

/// The configured event store for `serve`: SQLite under `DATA_DIR`, or the volatile store
/// for `DATA_DIR=:memory:` (with its loud warning). Fails closed with the store's one-line
/// error and exit 1.
struct ServeStore {
  let eventStore: any EventStore
  private let sqlite: SQLiteEventStore

  static func open(_ configuration: BLSConfiguration) throws -> ServeStore {
    let directory: String
    switch configuration.storage {
    case .directory(let path): directory = path
    case .memory: directory = SQLiteEventStore.memoryDirectory
    }
    do {
      let store = try SQLiteEventStore(dataDirectory: directory)
      if let warning = store.warning { FastCGIServer.log(warning) }
      return ServeStore(eventStore: store, sqlite: store)
    } catch {
      ServeCommand.fail(error.description)
    }
  }

  /// Commits what is queued, checkpoints the WAL and closes the database.
  func close() { sqlite.close() }
}
