import BLSTestSupport
import Foundation
import JSON

/// Locates `../shared`: `BLS_SHARED_DIR` if set, else next to the repository root.
enum SharedFiles {
  static func url(_ relativePath: String) -> URL { SharedDirectory.url(relativePath) }
  static func json(_ relativePath: String) throws -> JSONValue { try SharedDirectory.json(relativePath) }
  static func files(in relativeDirectory: String) -> [String] { SharedDirectory.jsonFiles(in: relativeDirectory) }
}
