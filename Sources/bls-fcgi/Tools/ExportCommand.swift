import ArgumentParser
import BLSStore
import JSON
import Nostr
import ProcessSupport

#if canImport(Glibc)
  import Glibc
#endif

/// `bls-fcgi export [--output PATH]`: every stored event (SQLite or PostgreSQL) as one NIP-01
/// JSON object per line.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write every stored event as one NIP-01 JSON object per line.",
    discussion: """
      Reads the database BLS uses: PostgreSQL when DATABASE_URL (or DATABASE_URL_FILE) is \
      set, else $DATA_DIR/events.db (DATA_DIR or DATA_DIR_FILE, default /data); no other \
      variable is needed. Works while BLS serves. Writes each event as a JSON object with the \
      members id, pubkey, created_at, kind, tags, content, sig, one per line: from SQLite in \
      the order the events were stored (rowid order: oldest first), from PostgreSQL in id \
      order. The export is one snapshot: the events stored when it starts; an event whose \
      NIP-40 expiration has passed is left out. Memory use is bounded however large the \
      database.

      `bls-fcgi import` reads this format back; `bls-fcgi copy` moves events between SQLite \
      and PostgreSQL without a file. Exit status 0 on success; 1 with one line on standard \
      error otherwise (the output file is then incomplete).
      """)

  @Option(
    name: .long,
    help: ArgumentHelp("Write to this file instead of standard output (replaced if it exists).", valueName: "path"))
  var output: String?

  func run() throws {
    let database = EventDatabase.fromEnvironment()
    let setting = if case .postgres = database { "DATABASE_URL" } else { "DATA_DIR" }
    // Opened first: a database that cannot be read leaves an existing output file alone.
    let source = EventSource.open(database, setting: setting)
    let fd: Int32
    if let output {
      fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
      guard fd >= 0 else { StandardIO.fail("ERROR: cannot write \(output): \(String(cString: strerror(errno)))") }
    } else {
      fd = 1
    }
    var written: Int64 = 0
    let progress = Progress("export", unit: "events", total: nil)
    var expired = 0
    do {
      progress.total = try source.count()
      var buffer: [UInt8] = []
      buffer.reserveCapacity(1 << 17)
      expired = try source.forEach { event in
        JSONWriter.append(event.jsonValue, to: &buffer)
        buffer.append(0x0A)
        written += 1
        if buffer.count >= 1 << 16 {
          try Self.write(buffer, to: fd)
          buffer.removeAll(keepingCapacity: true)
          progress.update(written)
        }
      }
      try Self.write(buffer, to: fd)
      if fd != 1, fsync(fd) != 0 || close(fd) != 0 {
        throw OperationError(code: "io", message: "cannot write \(output ?? ""): \(String(cString: strerror(errno)))")
      }
    } catch {
      progress.finish(written)
      StandardIO.fail("ERROR: export failed after \(written) events: \(error)")
    }
    progress.finish(written)
    let left = expired > 0 ? " (\(expired) expired, left out)" : ""
    Log.info("export: \(written) events from \(source.storageDescription)\(left) in \(progress.elapsed)")
  }

  /// Writes all of `bytes`, or throws (a full disk, a closed pipe).
  static func write(_ bytes: [UInt8], to fd: Int32) throws(OperationError) {
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if n > 0 {
        offset += n
      } else if errno != EINTR {
        throw OperationError(code: "io", message: "cannot write the export: \(String(cString: strerror(errno)))")
      }
    }
  }
}
