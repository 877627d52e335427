import Foundation
import JSON

/// Locates `../shared`: `BLS_SHARED_DIR` if set, else next to the repository root.
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

  static func json(_ relativePath: String) throws -> JSONValue {
    let data = try Data(contentsOf: directory.appendingPathComponent(relativePath))
    return try JSONParser(maxDepth: 256).parse([UInt8](data))
  }
}
