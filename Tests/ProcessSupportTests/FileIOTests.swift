import Glibc
import ProcessSupport
import Testing

@Suite("FileIO")
struct FileIOTests {
  /// A fresh path under /tmp, removed after `body`.
  static func withPath<T>(_ body: (String) throws -> T) rethrows -> T {
    let path = "/tmp/bls-fileio-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    defer {
      unlink(path)
      unlink(path + ".tmp")
    }
    return try body(path)
  }

  @Test("replace writes the bytes; read and readText give them back; a second replace wins")
  func roundTrip() throws {
    try Self.withPath { path in
      try FileIO.replace(path, with: Array("first\n".utf8))
      try FileIO.replace(path, with: Array("héllo\n".utf8))
      #expect(try FileIO.read(path) == Array("héllo\n".utf8))
      #expect(try FileIO.readText(path) == "héllo\n")
      #expect(access(path + ".tmp", F_OK) != 0, "no temporary file left behind")
    }
  }

  @Test("a missing file fails with strerror's text")
  func missing() {
    #expect(throws: SystemError(reason: "No such file or directory")) {
      try FileIO.read("/nonexistent/bls-file")
    }
  }

  @Test("a file over the limit fails, however the limit falls against the read chunks")
  func limit() throws {
    try Self.withPath { path in
      try FileIO.replace(path, with: [UInt8](repeating: 65, count: (1 << 20) + 10))
      #expect(throws: SystemError(reason: "file is larger than 1 MiB")) { try FileIO.read(path, limit: 1 << 20) }
      #expect(throws: SystemError(reason: "file is larger than 100 bytes")) { try FileIO.read(path, limit: 100) }
      #expect(try FileIO.read(path, limit: (1 << 20) + 10).count == (1 << 20) + 10)
    }
  }

  @Test("readText refuses bytes that are not UTF-8")
  func notUTF8() throws {
    try Self.withPath { path in
      try FileIO.replace(path, with: [0x66, 0xFF, 0x66])
      #expect(throws: SystemError(reason: "not valid UTF-8")) { try FileIO.readText(path) }
      #expect(try FileIO.read(path) == [0x66, 0xFF, 0x66])
    }
  }

  @Test("replace into a missing directory fails with strerror's text")
  func replaceFails() {
    #expect(throws: SystemError(reason: "No such file or directory")) {
      try FileIO.replace("/nonexistent/dir/file", with: [1])
    }
  }
}
