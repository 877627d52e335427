import BLSTestSupport
import Foundation
import JSON
import Nostr

/// The independent vectors in `Tests/Fixtures/vectors` (see ``Fixtures``).
enum FixtureVectors {
  /// Bytes of `vectors/<name>`; empty when the file is missing (count checks then fail).
  static func data(_ name: String) -> Data { Fixtures.data("vectors/\(name)") }

  /// `vectors/<name>` parsed with the project's own JSON parser.
  static func json(_ name: String) -> JSONValue { (try? Fixtures.json("vectors/\(name)")) ?? .null }
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
