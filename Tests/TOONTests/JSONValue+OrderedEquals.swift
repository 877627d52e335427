import Foundation
import JSON

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
