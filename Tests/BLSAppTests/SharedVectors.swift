import Foundation
import JSON

/// Locates `../shared` (the project's read-only vectors) from this file or `BLS_SHARED_DIR`.
enum SharedVectors {
  static let directory: URL = {
    if let dir = ProcessInfo.processInfo.environment["BLS_SHARED_DIR"] {
      return URL(fileURLWithPath: dir)
    }
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
      url.deleteLastPathComponent()
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
        return url.deletingLastPathComponent().appendingPathComponent("shared")
      }
    }
    fatalError("cannot find the repository root above \(#filePath)")
  }()

  static func json(_ relativePath: String) -> JSONValue {
    let url = directory.appendingPathComponent(relativePath)
    guard let data = FileManager.default.contents(atPath: url.path) else {
      fatalError("missing vector file \(url.path); set BLS_SHARED_DIR")
    }
    return try! JSONValue.parse(Array(data))
  }
}
