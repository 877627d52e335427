import Foundation
import Glibc
import Nostr
import Testing

@testable import BLSStore

@Suite("One process writes a database file at a time (events.db-lock)")
struct DatabaseLockTests {
  /// An independent holder of the same flock(2) lock: a shell that takes it with util-linux's
  /// flock(1) on its own descriptor, writes `note` into the file if given, then becomes
  /// `sleep` (which keeps the descriptor). Returns once the lock is held.
  static func holdLock(_ directory: TemporaryDirectory, note: String? = nil) throws -> Process {
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: "/bin/bash")
    let write = note.map { " && echo '\($0)' >&9" } ?? ""
    holder.arguments = [
      "-c", "exec 9>>\"$0\" && flock --exclusive 9\(write) && echo locked && exec sleep 60",
      directory.databasePath + DatabaseLock.suffix,
    ]
    let output = Pipe()
    holder.standardOutput = output
    try holder.run()
    #expect(String(decoding: output.fileHandleForReading.readData(ofLength: 7), as: UTF8.self) == "locked\n")
    return holder
  }

  @Test("a second store on an open file is refused, naming the holder's pid; it opens once the first closes")
  func secondStoreRefused() throws {
    let directory = TemporaryDirectory("lock")
    defer { directory.remove() }
    let first = try SQLiteEventStore(dataDirectory: directory.path)
    let refused = try #require(openError(directory.path))
    #expect(refused.code == "database_in_use")
    #expect(refused.description.contains("\(directory.databasePath) is in use by process \(getpid())"))
    #expect(refused.description.contains("stop it first"))
    first.close()
    #expect(openError(directory.path) == nil)
  }

  @Test("a lock held by another process refuses the open; killed with SIGKILL, it leaves no stale lock")
  func lockOfAKilledProcess() throws {
    let directory = TemporaryDirectory("lock-kill")
    defer { directory.remove() }
    let holder = try Self.holdLock(directory)
    defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
    let refused = openError(directory.path)
    #expect(refused?.code == "database_in_use")
    #expect(refused?.description.contains("in use by another process") == true)
    kill(holder.processIdentifier, SIGKILL)
    holder.waitUntilExit()
    #expect(openError(directory.path) == nil)
  }

  @Test("a symbolic link in place of the lock file is not followed: the open is refused")
  func symlinkedLockFile() throws {
    let directory = TemporaryDirectory("lock-link")
    defer { directory.remove() }
    let target = directory.path + "/elsewhere"
    #expect(symlink(target, directory.databasePath + DatabaseLock.suffix) == 0)
    let refused = try #require(openError(directory.path))
    #expect(refused.code == "database_not_writable")
    #expect(!FileManager.default.fileExists(atPath: target))
  }

  @Test(
    "a refused open in the same process leaves the first store's SQLite locks alone (its WAL survives another process)")
  func refusedOpenKeepsSQLiteLocks() throws {
    let directory = TemporaryDirectory("lock-fcntl")
    defer { directory.remove() }
    let first = try SQLiteEventStore(dataDirectory: directory.path)
    defer { first.close() }
    #expect(
      try first.store(NostrEvent.signed(secretKey: SecretKey.generate(), createdAt: 1, kind: 1, content: "x"))
        == .stored)
    #expect(openError(directory.path)?.code == "database_in_use")
    // Closing a descriptor of events.db in this process would drop the POSIX locks SQLite
    // holds on it; another process's last-connection close would then remove the live WAL.
    let shell = Process()
    shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    shell.arguments = [directory.databasePath, "SELECT count(*) FROM events"]
    shell.standardOutput = FileHandle.nullDevice
    shell.standardError = FileHandle.nullDevice
    try shell.run()
    shell.waitUntilExit()
    #expect(FileManager.default.fileExists(atPath: directory.databasePath + "-wal"))
    #expect(
      try first.store(NostrEvent.signed(secretKey: SecretKey.generate(), createdAt: 2, kind: 1, content: "y"))
        == .stored)
  }

  @Test(
    "a pid written in another pid namespace (a server in a container), or without one, is not named as the holder",
    arguments: ["1 pid:[1]", "1"])
  func holderFromAnotherNamespace(note: String) throws {
    let directory = TemporaryDirectory("lock-ns")
    defer { directory.remove() }
    // Pid 1 exists here, but the note says it lives in another namespace (or does not say).
    let holder = try Self.holdLock(directory, note: note)
    defer { kill(holder.processIdentifier, SIGKILL) }
    let refused = try #require(openError(directory.path))
    #expect(refused.description.contains("is in use by another process"), "\(refused)")
  }

  @Test("events.db reached through a symbolic link is locked at its real path")
  func symlinkedDatabase() throws {
    let real = TemporaryDirectory("lock-real")
    let linked = TemporaryDirectory("lock-linked")
    defer {
      real.remove()
      linked.remove()
    }
    let first = try SQLiteEventStore(dataDirectory: real.path)
    defer { first.close() }
    #expect(symlink(real.databasePath, linked.databasePath) == 0)
    #expect(openError(linked.path)?.code == "database_in_use")
  }

  @Test("a symbolic link in place of the lock file is named as such, with the fix")
  func symlinkedLockMessage() throws {
    let directory = TemporaryDirectory("lock-link-message")
    defer { directory.remove() }
    #expect(symlink(directory.path + "/elsewhere", directory.databasePath + DatabaseLock.suffix) == 0)
    let refused = try #require(openError(directory.path))
    #expect(refused.description.contains("is a symbolic link, which BLS does not follow; fix: remove it"))
  }

  @Test(
    "run as root on a directory another user owns, the lock file it creates is that user's",
    .enabled(if: geteuid() == 0, "needs root"))
  func rootGivesTheLockFileAway() throws {
    let directory = TemporaryDirectory("lock-owner")
    defer { directory.remove() }
    #expect(chown(directory.path, 65534, 65534) == 0)
    let store = try SQLiteEventStore(dataDirectory: directory.path)
    store.close()
    var info = stat()
    #expect(stat(directory.databasePath + DatabaseLock.suffix, &info) == 0)
    #expect(info.st_uid == 65534)
  }
}
