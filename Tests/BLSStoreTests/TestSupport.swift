@_exported import BLSTestSupport
import Foundation
import JSON
import Nostr

@testable import BLSStore

/// A fresh directory under the system temp dir, removed by ``remove()``.
struct TemporaryDirectory {
  let path: String

  init(_ label: String = "store") {
    let base = FileManager.default.temporaryDirectory.path
    path = "\(base)/bls-store-tests-\(label)-\(UUID().uuidString.prefix(8))"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  var databasePath: String { path + "/events.db" }

  func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// What opening a store on `directory` throws, or `nil` when it opens (it is closed again).
func openError(_ directory: String) -> StoreOpenError? {
  do {
    let store = try SQLiteEventStore(dataDirectory: directory)
    store.close()
    return nil
  } catch {
    return error
  }
}

/// The independent vectors in `Tests/Fixtures/vectors` (see ``Fixtures``).
enum FixtureVectors {
  static var directory: URL { Fixtures.url }

  /// The `valid` events of `vectors/nip01-events.json`, by name.
  static func validEvents() throws -> [(name: String, event: NostrEvent)] {
    let data = try Data(contentsOf: directory.appendingPathComponent("vectors/nip01-events.json"))
    let root = try JSONValue.parse(Array(data))
    let valid = root["valid"]?.arrayValue ?? []
    return try valid.map { entry in
      guard let name = entry["name"]?.stringValue, let object = entry["event"] else {
        throw VectorError.malformed
      }
      return (name, try event(from: object))
    }
  }

  enum VectorError: Error { case malformed }

  static func event(from object: JSONValue) throws -> NostrEvent {
    guard let id = object["id"]?.stringValue, let pubkey = object["pubkey"]?.stringValue,
      let createdAt = object["created_at"]?.numberValue?.int64Value,
      let kind = object["kind"]?.numberValue?.int64Value,
      let tags = object["tags"]?.arrayValue, let content = object["content"]?.stringValue,
      let sig = object["sig"]?.stringValue
    else { throw VectorError.malformed }
    let tagStrings = try tags.map { tag in
      try (tag.arrayValue ?? []).map { item in
        guard let string = item.stringValue else { throw VectorError.malformed }
        return string
      }
    }
    return NostrEvent(
      id: id, pubkey: pubkey, createdAt: createdAt, kind: Int(kind), tags: tagStrings,
      content: content, sig: sig)
  }
}

/// A raw SQLite connection for looking at a file the way another tool would.
func withRawDatabase<T>(_ path: String, _ body: (SQLiteConnection) throws -> T) throws -> T {
  let db = try SQLiteConnection.open(path: path, flags: 0x2 | 0x4)  // READWRITE | CREATE
  defer { db.close() }
  return try body(db)
}
