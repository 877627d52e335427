import JSON
import Nostr

/// Reading the `tags` column back (JSON text of an array of arrays of strings).
enum PGTags {
  /// Parses a `tags` column; anything but an array of arrays of strings is a corrupt row.
  static func parse(_ text: String, id: String) throws(EventStoreError) -> [[String]] {
    let value: JSONValue
    do {
      value = try JSONValue.parse(text)
    } catch {
      throw EventStoreError(code: "corrupt", message: "event \(id): tags column is not JSON (\(error))")
    }
    guard let array = value.arrayValue else {
      throw EventStoreError(code: "corrupt", message: "event \(id): tags column is not a JSON array")
    }
    var tags: [[String]] = []
    tags.reserveCapacity(array.count)
    for element in array {
      guard let items = element.arrayValue else {
        throw EventStoreError(code: "corrupt", message: "event \(id): a tag is not an array")
      }
      var tag: [String] = []
      for item in items {
        guard let string = item.stringValue else {
          throw EventStoreError(code: "corrupt", message: "event \(id): a tag element is not a string")
        }
        tag.append(string)
      }
      tags.append(tag)
    }
    return tags
  }
}
