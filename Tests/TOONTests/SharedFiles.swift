import Foundation
import JSON

/// Locates `../shared` (read-only vectors and fixtures): `BLS_SHARED_DIR` if set, else the
/// directory next to the repository root found by walking up from this file.
enum SharedFiles {
  static let directory: URL = {
    if let env = ProcessInfo.processInfo.environment["BLS_SHARED_DIR"], !env.isEmpty {
      return URL(fileURLWithPath: env, isDirectory: true)
    }
    var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while dir.path != "/" {
      if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
        return dir.deletingLastPathComponent().appendingPathComponent("shared", isDirectory: true)
      }
      dir = dir.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: "/work/shared", isDirectory: true)
  }()

  static func url(_ relativePath: String) -> URL {
    directory.appendingPathComponent(relativePath)
  }

  /// Parses a JSON file with the project's own parser.
  static func json(_ relativePath: String) throws -> JSONValue {
    let data = try Data(contentsOf: url(relativePath))
    return try JSONParser(maxDepth: 256).parse([UInt8](data))
  }

  static func files(in relativeDirectory: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url(relativeDirectory).path)) ?? []
    return names.filter { $0.hasSuffix(".json") }.sorted().map { "\(relativeDirectory)/\($0)" }
  }
}

extension JSONValue {
  /// Equality that also requires object keys in the same order (TOON §2 ordering).
  func orderedEquals(_ other: JSONValue) -> Bool {
    switch (self, other) {
    case (.array(let a), .array(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.orderedEquals($1) }
    case (.object(let a), .object(let b)):
      return a.orderedKeys == b.orderedKeys
        && a.orderedKeys.allSatisfy { a[$0]!.orderedEquals(b[$0]!) }
    default:
      return self == other
    }
  }
}
