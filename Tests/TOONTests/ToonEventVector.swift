import BLSTestSupport
import JSON
import Testing

/// One TOON encoding of a signed Nostr event from `vectors/toon-events.json`.
struct ToonEventVector: Sendable, CustomTestStringConvertible {
  let entry: String
  let encoding: String
  let category: String
  let toon: String
  let event: JSONValue

  var testDescription: String { "\(entry) / \(encoding) (\(category))" }

  /// Every encoding of every entry; `same_as` references are resolved to their text.
  static let all: [ToonEventVector] = {
    guard let file = try? Fixtures.json("vectors/toon-events.json"),
      let entries = file["entries"]?.arrayValue
    else { return [] }
    return entries.flatMap { entry -> [ToonEventVector] in
      guard let name = entry["name"]?.stringValue, let event = entry["event"],
        let encodings = entry["encodings"]?.objectValue
      else { return [] }
      return encodings.orderedKeys.compactMap { key -> ToonEventVector? in
        var encoding = encodings[key]!
        if let target = encoding["same_as"]?.stringValue, let resolved = encodings[target] {
          encoding = resolved
        }
        guard let toon = encoding["toon"]?.stringValue else { return nil }
        return ToonEventVector(
          entry: name, encoding: key, category: encoding["category"]?.stringValue ?? "?",
          toon: toon, event: event)
      }
    }
  }()

  /// One event per entry.
  static let events: [ToonEventVector] = {
    var seen = Set<String>()
    return all.filter { seen.insert($0.entry).inserted }
  }()
}
