import ArgumentParser
import BLSStore
import ProcessSupport

/// `bls-fcgi copy --from DB --to DB`: moves every event between SQLite and PostgreSQL (either
/// way, or SQLite to SQLite), verified and stored with the NIP-01 rules, without a file.
struct CopyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "copy",
    abstract: "Copy every event from one database to another: SQLite ⇄ PostgreSQL.",
    discussion: """
      DB is sqlite:PATH — a data directory holding events.db (as DATA_DIR), or to read from, \
      a database file such as a backup — or a libpq URI, postgres://… or postgresql://… (any \
      libpq parameter, e.g. ?sslmode=require). Either option may be left out: it is then the \
      database BLS uses, PostgreSQL when DATABASE_URL (or DATABASE_URL_FILE) is set, else \
      $DATA_DIR (default /data), so a password can stay in a secret file rather than on the \
      command line (which other users see in ps); libpq also reads PGPASSWORD and ~/.pgpass.

      Reads one snapshot of the source (SQLite in rowid order, PostgreSQL a page of at most \
      1000 events at a time) and stores each event in the destination through the store's \
      own writer, as `import` does: every id and BIP-340 signature verified again, NIP-01's \
      rules (a known id is a duplicate, an older replaceable or addressable event is \
      superseded), an event whose NIP-40 expiration has passed never written. The \
      destination is created or migrated as the server would. Memory use is bounded. \
      Progress is a bar on a terminal and a log line every 5 seconds otherwise \
      (BLS_PROGRESS_SECONDS).

      The source may be serving. A SQLite destination has one writer: stop BLS or use a new \
      data directory; a PostgreSQL destination may be serving. Copying again skips what is \
      already there (duplicates).

      Ends with one summary line: events read, stored, duplicate, superseded, invalid, \
      expired. Exit status 0 when every event read was stored or skipped by a rule; 1 with \
      one line otherwise (a bad location, an unreachable server, an invalid or unstored event).
      """)

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Where to read: sqlite:PATH or postgres://… (default: DATABASE_URL, else DATA_DIR).", valueName: "db"))
  var from: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Where to store: sqlite:PATH or postgres://… (default: DATABASE_URL, else DATA_DIR).", valueName: "db"))
  var to: String?

  func run() throws {
    guard from != nil || to != nil else {
      StandardIO.fail("ERROR: copy: give --from, --to or both (either left out is the database BLS uses)")
    }
    // Both read before either is opened: a mistyped --to fails before anything is read.
    let origin = Self.database(from, option: "--from")
    let destination = Self.database(to, option: "--to")
    let source = EventSource.open(origin, setting: from == nil ? Self.setting(origin) : "--from")
    let store = OpenedStore.openForImport(destination, setting: to == nil ? Self.setting(destination) : "--to")
    let importer = EventImporter(store: store.eventStore)
    let progress = Progress("copy", unit: "events", total: nil)
    var read: Int64 = 0
    var failure: String?
    do {
      progress.total = try source.count()
      let expired = try source.forEach { event in
        importer.add(event: event)
        read += 1
        if read & 255 == 0 { progress.update(read) }
      }
      importer.addExpired(Int64(expired))
    } catch {
      failure = "copy stopped after reading \(read) events from \(source.storageDescription): \(error)"
    }
    importer.finish()
    store.close()
    let summary = importer.current
    progress.finish(summary.lines)
    Log.info(
      "copy: read \(summary.lines) events from \(source.storageDescription) into \(store.storageDescription): \(summary.outcomes) in \(progress.elapsed)"
    )
    if let failure { StandardIO.fail("ERROR: \(failure)") }
    if summary.invalid > 0 || summary.failed > 0 { throw ExitCode(1) }
  }

  /// The variable a database left to the environment came from, for messages.
  static func setting(_ database: EventDatabase) -> String {
    if case .postgres = database { "DATABASE_URL" } else { "DATA_DIR" }
  }

  /// The database `text` names, or the one BLS uses when `nil`; exits 1 with one line naming
  /// `option` when `text` is not a location.
  static func database(_ text: String?, option: String) -> EventDatabase {
    guard let text else { return EventDatabase.fromEnvironment() }
    do {
      return try EventDatabase.parse(text)
    } catch {
      StandardIO.fail("ERROR: \(option): \(error.reason)")
    }
  }
}
