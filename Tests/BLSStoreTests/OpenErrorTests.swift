import Foundation
import Nostr
import Testing

@testable import BLSStore

/// tmpfs mounts for the read-only and disk-full tests (we run as root in CI).
enum Mounts {
  static func run(_ arguments: [String]) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/" + arguments[0])
    process.arguments = Array(arguments.dropFirst())
    process.standardError = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
  }

  static func tmpfs(at path: String, size: String, readOnly: Bool = false) -> Bool {
    run(["mount", "-t", "tmpfs", "-o", "size=\(size)" + (readOnly ? ",ro" : ""), "tmpfs", path])
  }

  static func unmount(_ path: String) { _ = run(["umount", path]) }

  /// Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN).
  static let permitted: Bool = {
    let directory = TemporaryDirectory("mount-probe")
    defer { directory.remove() }
    guard tmpfs(at: directory.path, size: "64k") else { return false }
    unmount(directory.path)
    return true
  }()
}

@Suite("Fail closed: an unusable DATA_DIR or events.db stops the server with one clear line")
struct OpenErrorTests {
  func expectOneLine(_ error: StoreOpenError?, code: String, mentions: [String]) {
    guard let error else {
      Issue.record("expected \(code), the store opened")
      return
    }
    #expect(error.code == code, "\(error)")
    #expect(error.description.hasPrefix("ERROR: DATA_DIR: "))
    #expect(!error.description.contains("\n"))
    for word in mentions { #expect(error.description.contains(word), "\(error.description) lacks \(word)") }
  }

  @Test("a missing directory names itself, the uid and the fix")
  func missing() {
    let path = "/nonexistent-bls-\(UUID().uuidString)/data"
    expectOneLine(
      openError(path), code: "data_dir_missing", mentions: [path, "uid \(geteuid())", "chown \(geteuid())"])
  }

  @Test("a file where the directory should be")
  func notADirectory() throws {
    let directory = TemporaryDirectory("notdir")
    defer { directory.remove() }
    let file = directory.path + "/plain-file"
    #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
    expectOneLine(openError(file), code: "data_dir_not_directory", mentions: [file])
  }

  @Test("a read-only volume", .enabled(if: Mounts.permitted, "mounting a tmpfs is not permitted here"))
  func readOnly() throws {
    let directory = TemporaryDirectory("ro")
    defer { directory.remove() }
    #expect(Mounts.tmpfs(at: directory.path, size: "64k", readOnly: true))
    defer { Mounts.unmount(directory.path) }
    expectOneLine(
      openError(directory.path), code: "data_dir_not_writable",
      mentions: [directory.path, "not writable by uid \(geteuid())", "Read-only file system", "chown"])
  }

  @Test("an events.db that is not SQLite at all")
  func notSQLite() throws {
    let directory = TemporaryDirectory("garbage")
    defer { directory.remove() }
    #expect(
      FileManager.default.createFile(
        atPath: directory.databasePath, contents: Data(String(repeating: "not a database\n", count: 400).utf8)))
    expectOneLine(openError(directory.path), code: "not_a_database", mentions: [directory.databasePath, "backup"])
    // The file is left alone for the operator.
    #expect(try Data(contentsOf: URL(fileURLWithPath: directory.databasePath)).starts(with: Data("not a".utf8)))
  }

  @Test("an events.db whose schema page is damaged")
  func corruptSchema() throws {
    let directory = TemporaryDirectory("corrupt")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    for _ in 0..<20 { _ = try store.store(Events.make()) }
    store.close()
    // Scribble over page 1 after the 100-byte header: the schema table's b-tree page.
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: directory.databasePath))
    try handle.seek(toOffset: 100)
    handle.write(Data((0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }))
    try handle.close()
    let error = openError(directory.path)
    #expect(["corrupt", "not_a_database"].contains(error?.code ?? "none"), "\(String(describing: error))")
    expectOneLine(error, code: error?.code ?? "corrupt", mentions: [directory.databasePath])
  }

  @Test("a file from a newer release is refused, not downgraded")
  func newerSchema() throws {
    let directory = TemporaryDirectory("newer")
    defer { directory.remove() }
    try withRawDatabase(directory.databasePath) { db throws in
      try db.execute(Schema.eventsTable)
      try db.execute("PRAGMA user_version = 99")
    }
    expectOneLine(openError(directory.path), code: "schema_too_new", mentions: ["99"])
  }

  @Test("another application's SQLite file is refused")
  func foreignDatabase() throws {
    let directory = TemporaryDirectory("foreign")
    defer { directory.remove() }
    try withRawDatabase(directory.databasePath) { db in try db.execute("CREATE TABLE invoices (n INTEGER)") }
    expectOneLine(openError(directory.path), code: "foreign_database", mentions: ["invoices"])
  }

  @Test("DATA_DIR=:memory: is a volatile store that says so")
  func memory() throws {
    let store = try SQLiteEventStore(dataDirectory: ":memory:")
    defer { store.close() }
    #expect(store.storageDescription == "memory")
    #expect(store.databasePath == nil)
    #expect(store.warning?.contains("LOST") == true)
    // The logger adds its own level ("WARNING: WARNING: …" was printed).
    #expect(store.warning?.hasPrefix("DATA_DIR=:memory:") == true)
    let event = Events.make()
    #expect(try store.store(event) == .stored)
    #expect(try store.event(id: event.id) == event)
  }

  @Test("a file store reports its path and no warning")
  func fileDescription() throws {
    let directory = TemporaryDirectory("desc")
    defer { directory.remove() }
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    defer { store.close() }
    #expect(store.storageDescription == "sqlite:\(directory.databasePath)")
    #expect(store.warning == nil)
  }
}
