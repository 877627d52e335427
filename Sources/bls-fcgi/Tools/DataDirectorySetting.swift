import BLSApp
import BLSStore
import ProcessSupport

/// The one setting the operator's tools (backup, export, import, migrate) need: `DATA_DIR`
/// (or `DATA_DIR_FILE`), default `/data`, as `run` and `serve` read it. Nothing else of the
/// configuration is read, so the tools work without NODE_ID or the secret key.
enum DataDirectorySetting {
  /// The directory, or exits 1 with one line (unreadable `DATA_DIR_FILE`, or `:memory:`,
  /// which has no file to work on).
  static func directory(_ environment: Environment = .process) -> String {
    let directory: String
    do {
      directory = try environment.value("DATA_DIR")?.value ?? "/data"
    } catch {
      StandardIO.fail(error.description)
    }
    if directory == SQLiteEventStore.memoryDirectory {
      StandardIO.fail(
        "ERROR: DATA_DIR: is :memory:, which keeps no file to work on; set DATA_DIR to the data directory")
    }
    return directory
  }

  /// `$DATA_DIR/events.db`.
  static func databasePath(_ environment: Environment = .process) -> String {
    DatabaseFile.path(inDataDirectory: directory(environment))
  }
}
