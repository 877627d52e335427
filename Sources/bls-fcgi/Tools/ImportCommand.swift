import ArgumentParser
import BLSStore
import ProcessSupport

#if canImport(Glibc)
  import Glibc
#endif

/// `bls-fcgi import [PATH|-]`: stores events from NIP-01 JSON lines, each verified first, into
/// SQLite or PostgreSQL.
struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Store events from NIP-01 JSON lines (the format of `export`), verifying each.",
    discussion: """
      Reads one JSON event object per line from PATH, or standard input for - or no PATH, and \
      stores it in the database BLS uses: PostgreSQL when DATABASE_URL (or DATABASE_URL_FILE) \
      is set (the schema created or migrated as the server does), else $DATA_DIR/events.db \
      (DATA_DIR or DATA_DIR_FILE, default /data; created if absent, migrated if older). Every \
      line is checked as BLS checks a payment's event: the fields (NIP-01, lowercase hex), the \
      id (sha256 of the serialization) and the BIP-340 signature. Valid events are stored \
      through the store's own writer with the NIP-01 rules: a known id is a duplicate, an \
      older replaceable or addressable event is superseded. An event whose NIP-40 expiration \
      has passed is counted expired and not stored. They are committed thousands at a time. \
      Blank lines are skipped; a line longer than 1 MiB (1048576 bytes) is invalid.

      SQLite has one writer: run it while BLS is stopped, or into a new DATA_DIR. PostgreSQL \
      takes it while BLS nodes serve.

      Ends with one summary line on standard error: lines read, stored, duplicate, \
      superseded, invalid (with the first reasons and their line numbers), expired. Exit \
      status 0 only when no line was invalid and every valid event was stored; 1 otherwise.
      """)

  @Argument(help: ArgumentHelp("The file to read; - or none for standard input.", valueName: "path"))
  var path: String?

  func run() throws {
    let fd: Int32
    var lines: Int64? = nil
    if let path, path != "-" {
      fd = open(path, O_RDONLY | O_CLOEXEC)
      guard fd >= 0 else { StandardIO.fail("ERROR: cannot read \(path): \(String(cString: strerror(errno)))") }
      lines = Self.countLines(fd)
    } else {
      fd = 0
    }
    let database = EventDatabase.fromEnvironment()
    let setting = if case .postgres = database { "DATABASE_URL" } else { "DATA_DIR" }
    let store = OpenedStore.openForImport(database, setting: setting)
    let importer = EventImporter(store: store.eventStore)
    let progress = Progress("import", unit: "lines", total: lines)
    var reader = LineReader(fd: fd, maxBytes: EventImporter.maxLineBytes)
    var failure: String?
    do {
      while let line = try reader.next() {
        switch line {
        case .text(let bytes): importer.add(line: bytes, number: reader.number)
        case .overlong: importer.addOverlongLine(number: reader.number)
        }
        if reader.number & 255 == 0 { progress.update(reader.number) }
      }
    } catch {
      failure = "cannot read \(path ?? "standard input"): \(error.reason)"
    }
    importer.finish()
    store.close()
    progress.finish(reader.number)
    let summary = importer.current
    Log.info(
      "imported \(summary.lines) lines into \(store.storageDescription): \(summary.outcomes) in \(progress.elapsed)")
    if let failure { StandardIO.fail("ERROR: \(failure)") }
    if summary.invalid > 0 || summary.failed > 0 { throw ExitCode(1) }
  }

  /// Lines in a regular file (for the progress bar's total), then back to its start; `nil`
  /// for a pipe.
  static func countLines(_ fd: Int32) -> Int64? {
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    var count: Int64 = 0
    var last: UInt8 = 0x0A
    var block = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = read(fd, &block, block.count)
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      for byte in block[0..<n] where byte == 0x0A { count += 1 }
      last = block[n - 1]
    }
    if last != 0x0A { count += 1 }
    lseek(fd, 0, SEEK_SET)
    return count
  }
}
