import BLSApp
import BLSStore
import ProcessSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A database of events an operator's tool reads or writes (export, import, copy): SQLite
/// (a data directory holding `events.db`, or a database file) or PostgreSQL (a libpq URI).
enum EventDatabase: Equatable {
  /// A data directory (as `DATA_DIR`) or, to read from, a database file such as a backup.
  case sqlite(String)
  /// A libpq connection URI, `postgres://` or `postgresql://`.
  case postgres(String)

  /// Why a location was refused: one line, never the URL (it may hold a password).
  struct Refusal: Error, Equatable {
    let reason: String
  }

  /// Reads `sqlite:PATH`, `postgres://…` or `postgresql://…` (a tool's `--from`/`--to`).
  static func parse(_ text: String) throws(Refusal) -> EventDatabase {
    if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") { return .postgres(text) }
    if text.hasPrefix("sqlite:") {
      let path = String(text.dropFirst("sqlite:".count))
      guard !path.isEmpty, path != SQLiteEventStore.memoryDirectory else {
        throw Refusal(reason: "sqlite: needs the path of a data directory or a database file, e.g. sqlite:/data")
      }
      return .sqlite(path)
    }
    // Only the scheme is named: the rest may be a password.
    let scheme = text.split(separator: ":", maxSplits: 1).first.map { String($0.prefix(20)) } ?? ""
    throw Refusal(
      reason:
        "must be sqlite:PATH (a data directory or a database file) or a postgres:// or postgresql:// URI"
        + (text.contains(":") ? ", not \(scheme):" : ""))
  }

  /// The database `DATA_DIR` and `DATABASE_URL` (or their `_FILE` forms) name, as `serve`
  /// reads them: PostgreSQL when `DATABASE_URL` is set, else `$DATA_DIR/events.db` (default
  /// `/data`).
  /// Exits 1 with one line for an unreadable `_FILE`, a URL without a libpq scheme, or
  /// `DATA_DIR=:memory:`.
  static func fromEnvironment(_ environment: Environment = .process) -> EventDatabase {
    let url: (value: String, source: String)?
    do {
      url = try environment.value("DATABASE_URL")
    } catch {
      StandardIO.fail(error.description)
    }
    guard let url else { return .sqlite(DataDirectorySetting.databasePath(environment)) }
    guard url.value.hasPrefix("postgres://") || url.value.hasPrefix("postgresql://") else {
      StandardIO.fail(
        "ERROR: \(url.source): must be a libpq connection URI starting with postgres:// or postgresql://")
    }
    return .postgres(url.value)
  }

  /// The file to read for `.sqlite`: `PATH/events.db` when PATH is a directory, else PATH.
  static func databaseFile(_ path: String) -> String {
    var info = stat()
    if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
      return DatabaseFile.path(inDataDirectory: path)
    }
    return path
  }

  /// The data directory to write for `.sqlite`: PATH itself, or the directory of a PATH
  /// naming its `events.db`; `nil` for any other file (a store is always `events.db`).
  static func dataDirectory(_ path: String) -> String? {
    var info = stat()
    if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { return path }
    let name = DatabaseFile.path(inDataDirectory: "")  // "/events.db"
    if path == String(name.dropFirst()) { return "." }
    if path.hasSuffix(name) {
      let directory = String(path.dropLast(name.count))
      return directory.isEmpty ? "/" : directory
    }
    if stat(path, &info) != 0 { return path }  // absent: DataDirectory's check names the fix
    return nil
  }
}
