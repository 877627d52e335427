import BLSTestSupport
import Foundation
import JSON

/// Locates `../shared` (read-only vectors and fixtures): `BLS_SHARED_DIR` if set, else the
/// directory next to the repository root found by walking up from this file.
enum SharedFiles {
  static func url(_ relativePath: String) -> URL { SharedDirectory.url(relativePath) }
  static func json(_ relativePath: String) throws -> JSONValue { try SharedDirectory.json(relativePath) }
  static func files(in relativeDirectory: String) -> [String] { SharedDirectory.jsonFiles(in: relativeDirectory) }
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
