import Foundation
import Glibc
import Nostr
import Testing

@testable import BLSStore

@Suite("One process writes a database file at a time (events.db-lock)")
struct DatabaseLockTests {
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
    // An independent holder of the same flock(2) lock: a shell that takes it with util-linux's
    // flock(1) on its own descriptor, then becomes `sleep` (which keeps the descriptor).
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: "/bin/bash")
    holder.arguments = [
      "-c", "exec 9>>\"$0\" && flock --exclusive 9 && echo locked && exec sleep 60",
      directory.databasePath + DatabaseLock.suffix,
    ]
    let output = Pipe()
    holder.standardOutput = output
    try holder.run()
    defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
    let said = output.fileHandleForReading.readData(ofLength: 7)
    #expect(String(decoding: said, as: UTF8.self) == "locked\n")
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
}
