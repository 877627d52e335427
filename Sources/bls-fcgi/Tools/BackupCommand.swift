import ArgumentParser
import BLSStore
import ProcessSupport

/// `bls-fcgi backup --to PATH`: an online, consistent copy of `$DATA_DIR/events.db`.
struct BackupCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backup",
    abstract: "Copy the live database to a file, while BLS keeps serving.",
    discussion: """
      Copies $DATA_DIR/events.db (DATA_DIR or DATA_DIR_FILE, default /data; no other variable \
      is needed) with SQLite's online backup API. The copy is one snapshot taken when the \
      backup starts: it holds every event acknowledged before then. BLS keeps storing events \
      meanwhile: the copy reads the database as a WAL reader, which never blocks the writer.

      The copy is written to PATH.tmp, checked with PRAGMA integrity_check, synced and renamed \
      to PATH, so PATH is either absent or a complete, sound database. It is a single file (no \
      -wal); restore it by stopping BLS, replacing events.db with it (and deleting any \
      events.db-wal and events.db-shm), and starting BLS (docs/operations.md).

      With DATABASE_URL (or DATABASE_URL_FILE) set the server's events are in PostgreSQL: \
      backup refuses (exit 1) and says so; back PostgreSQL up with its own tools (pg_dump, \
      pg_basebackup) or with bls-fcgi export.

      Exit status 0 on success; 1 with one line on standard error otherwise.
      """)

  @Option(name: .long, help: ArgumentHelp("Where to write the copy.", valueName: "path"))
  var to: String

  @Flag(name: .long, help: "Replace PATH if it exists (default: refuse).")
  var force = false

  func run() throws {
    // A server on PostgreSQL does not use DATA_DIR's file: copying it would report success for
    // a file that holds none of its events.
    guard case .sqlite(let source) = EventDatabase.fromEnvironment() else {
      StandardIO.fail(
        "ERROR: backup: DATABASE_URL is set, so the server's events are in PostgreSQL, not in DATA_DIR; "
          + "back PostgreSQL up with its own tools (pg_dump, pg_basebackup) or bls-fcgi export; "
          + "unset it to copy DATA_DIR's file")
    }
    let progress = Progress("backup", unit: "pages", total: nil)
    var lastDone: Int64 = 0
    let backup = DatabaseBackup(source: source, destination: to)
    do {
      let report = try backup.run(overwrite: force) { done, total in
        progress.total = total
        lastDone = done
        progress.update(done)
      }
      progress.finish(lastDone)
      Log.info(
        "backup: \(source) → \(to): \(report.events) events, \(report.bytes) bytes, integrity_check ok, in \(progress.elapsed)"
      )
    } catch {
      progress.finish(lastDone)
      StandardIO.fail("ERROR: backup failed: \(error.description)")
    }
  }
}
