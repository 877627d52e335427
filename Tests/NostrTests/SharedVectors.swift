import Foundation
import JSON
import Nostr

/// Locates `/work/shared`-style material: `BLS_SHARED_DIR` if set, else `../shared` next to the
/// repository root found by walking up from this file.
enum SharedVectors {
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

  /// Bytes of `vectors/<name>`; empty when the file is missing (count checks then fail).
  static func data(_ name: String) -> Data {
    (try? Data(contentsOf: directory.appendingPathComponent("vectors").appendingPathComponent(name)))
      ?? Data()
  }

  /// `vectors/<name>` parsed with the project's own JSON parser.
  static func json(_ name: String) -> JSONValue {
    (try? JSONValue.parse(Array(data(name)))) ?? .null
  }
}

extension Array where Element == UInt8 {
  /// Test helper: bytes from hex, either case; traps on bad input (test data only).
  init(hexString: String) {
    self = Hex.decodeForTests(hexString)
  }
}

extension Hex {
  static func decodeForTests(_ text: String) -> [UInt8] {
    guard let bytes = Hex.decode(text) else { fatalError("bad hex in test data: \(text)") }
    return bytes
  }
}
