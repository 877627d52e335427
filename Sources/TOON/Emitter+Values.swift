import JSON

/// Forms of §8–§10, chosen from each value's shape and position.
extension Emitter {
  mutating func writeRoot(_ value: JSONValue) {
    switch value {
    case .object(let object):
      if let fields = keyedFields(object) {
        startLine(depth: 0)
        writeKeyed(object, fields, depth: 0)
      } else {
        for key in object.orderedKeys { writeField(key, object[key]!, depth: 0, lineStarted: false) }
      }
    case .array(let items):
      startLine(depth: 0)
      if items.isEmpty {
        append("[]")
      } else {
        writeArray(items, depth: 0, tabularAllowed: true)
      }
    case .string(let string) where string.unicodeScalars.first == "\u{FEFF}":
      // Unquoted, it would read as a byte-order mark, which decoders drop (§12).
      startLine(depth: 0)
      writeQuoted(string)
    default:
      startLine(depth: 0)
      writePrimitive(value)
    }
  }

  /// One object field at `depth`; when `lineStarted`, the caller already wrote the line's
  /// prefix (the `- ` of a list item, §10).
  mutating func writeField(_ key: String, _ value: JSONValue, depth: Int, lineStarted: Bool) {
    if !lineStarted { startLine(depth: depth) }
    writeKey(key)
    switch value {
    case .array(let items):
      if items.isEmpty {
        append(": []")
      } else {
        writeArray(items, depth: depth, tabularAllowed: true)
      }
    case .object(let object):
      if let fields = keyedFields(object) {
        writeKeyed(object, fields, depth: depth)
      } else {
        append(":")
        for key in object.orderedKeys { writeField(key, object[key]!, depth: depth + 1, lineStarted: false) }
      }
    default:
      append(": ")
      writePrimitive(value)
    }
  }

  /// A non-empty array's header (after its key, if any) and body; the header line stands
  /// at `depth`.
  mutating func writeArray(_ items: [JSONValue], depth: Int, tabularAllowed: Bool) {
    if items.allSatisfy(\.isPrimitive) {
      writeHeader(count: items.count, keyed: false, fields: nil)
      append(" ")
      writeJoined(items)
      return
    }
    if tabularAllowed, let objects = allObjects(items), let fields = tabularFields(objects) {
      writeHeader(count: items.count, keyed: false, fields: fields)
      for object in objects {
        startLine(depth: depth + 1)
        var first = true
        writeCells(object, fields, first: &first)
      }
      return
    }
    writeHeader(count: items.count, keyed: false, fields: nil)
    for item in items { writeListItem(item, depth: depth + 1) }
  }

  /// `key[N:]{fields}:` (key already written) and one entry row per member (§9.5).
  mutating func writeKeyed(_ object: JSONObject, _ fields: [FieldSpec], depth: Int) {
    writeHeader(count: object.count, keyed: true, fields: fields)
    for key in object.orderedKeys {
      startLine(depth: depth + 1)
      writeKey(key)
      append(": ")
      var first = true
      writeCells(object[key]!.objectValue!, fields, first: &first)
    }
  }

  /// Leaf values in depth-first field order, joined by the delimiter (§9.3).
  private mutating func writeCells(_ object: JSONObject, _ fields: [FieldSpec], first: inout Bool) {
    for field in fields {
      let value = object[field.name]!
      if let children = field.children {
        writeCells(value.objectValue!, children, first: &first)
      } else {
        if !first { append(delimiter) }
        first = false
        writePrimitive(value)
      }
    }
  }

  private mutating func writeJoined(_ items: [JSONValue]) {
    for (i, item) in items.enumerated() {
      if i > 0 { append(delimiter) }
      writePrimitive(item)
    }
  }

  /// One list item at `depth` (§9.4, §10).
  mutating func writeListItem(_ value: JSONValue, depth: Int) {
    startLine(depth: depth)
    switch value {
    case .array(let items):
      append("- ")
      if items.isEmpty {
        writeHeader(count: 0, keyed: false, fields: nil)
      } else {
        writeArray(items, depth: depth, tabularAllowed: false)
      }
    case .object(let object):
      guard let firstKey = object.orderedKeys.first else {
        append("-")
        return
      }
      append("- ")
      for key in object.orderedKeys {
        writeField(key, object[key]!, depth: depth + 1, lineStarted: key == firstKey)
      }
    default:
      append("- ")
      writePrimitive(value)
    }
  }
}
