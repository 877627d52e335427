import JSON

/// Root form discovery (§5) and objects (§8).
extension Parser {
  /// Decodes the whole document.
  mutating func parseDocument() throws(TOONError) -> JSONValue {
    current = try reader.next()
    guard let first = current else { return .object(JSONObject()) }
    if first.depth == 0 {
      if matches(first.start, first.end, "[]") {
        _ = try take()
        try rejectTrailingContent()
        return .array([])
      }
      let shape = try classify(first, from: first.start)
      switch shape {
      case .header(let header) where header.key == nil:
        _ = try take()
        try checkDepth(1, first, first.start)
        let value = try parseHeaderValue(header, first, parentDepth: 0, level: 1)
        try rejectTrailingContent()
        return value
      case .scalar:
        _ = try take()
        guard current == nil else {
          throw fail(
            .missingColon, "expected \"key: value\"; a bare value is allowed only as the whole document (§5)",
            first, first.start)
        }
        let (s, e) = trim(first.start, first.end)
        return try parsePrimitive(s, e, first)
      default:
        break
      }
    }
    var object = JSONObject()
    object.reserveCapacity(8)  // a Nostr event has seven fields
    try parseObjectBody(depth: 0, level: 1, into: &object)
    return .object(object)
  }

  /// §5: a root array or keyed root object spans the whole document.
  private mutating func rejectTrailingContent() throws(TOONError) {
    if strict, let line = current {
      throw fail(.trailingContent, "unexpected content after the root value (§5)", line, line.start)
    }
  }

  /// Reads the fields of an object whose lines sit at `depth`, until a line at a smaller
  /// depth. `level` is the object's own nesting level.
  mutating func parseObjectBody(depth: Int, level: Int, into object: inout JSONObject) throws(TOONError) {
    while let line = current {
      if line.depth < depth { return }
      if line.depth > depth {
        try rejectOverIndented(line)
        continue
      }
      _ = try take()
      try parseField(line, from: line.start, fieldDepth: depth, level: level, into: &object)
    }
  }

  /// Parses one field starting at `start` of `line` into `object`. The field stands at
  /// `fieldDepth` for scope purposes (one more than the hyphen for a list item's first
  /// field, §10).
  mutating func parseField(
    _ line: Line, from start: Int, fieldDepth: Int, level: Int, into object: inout JSONObject
  ) throws(TOONError) {
    try parseField(
      try classify(line, from: start), line, from: start, fieldDepth: fieldDepth,
      level: level, into: &object)
  }

  mutating func parseField(
    _ shape: LineShape, _ line: Line, from start: Int, fieldDepth: Int, level: Int,
    into object: inout JSONObject
  ) throws(TOONError) {
    switch shape {
    case .scalar:
      throw fail(
        .missingColon, "expected \"key: value\"; found a value without a key (§4, §5.2)",
        line, start)
    case .keyValue(let key, let valueStart):
      let value = try parseFieldValue(line, valueStart, fieldDepth: fieldDepth, level: level + 1)
      try insert(key, value, into: &object, line, start)
    case .header(let header):
      guard let key = header.key else {
        if strict {
          throw fail(
            .misplacedHeader,
            "a keyless header is allowed only at the document root or as a list item (§6)",
            line, start)
        }
        let literal = LineShape.keyValue(key: string(start, header.restStart - 1), valueStart: header.restStart)
        return try parseField(literal, line, from: start, fieldDepth: fieldDepth, level: level, into: &object)
      }
      try checkDepth(level + 1, line, header.bracketStart)
      let value = try parseHeaderValue(header, line, parentDepth: fieldDepth, level: level + 1)
      try insert(key, value, into: &object, line, start)
    }
  }

  /// The value after `key:` — nested object, `[]`, or a primitive (§8, §9.1, §4).
  private mutating func parseFieldValue(_ line: Line, _ valueStart: Int, fieldDepth: Int, level: Int)
    throws(TOONError) -> JSONValue
  {
    let (s, e) = trim(valueStart, line.end)
    if s == e {
      try checkDepth(level, line, valueStart)
      var nested = JSONObject()
      if let depth = try scopeDepth(parent: fieldDepth) {
        try parseObjectBody(depth: depth, level: level, into: &nested)
      }
      return .object(nested)
    }
    if matches(s, e, "[]") {
      try checkDepth(level, line, s)
      return .array([])
    }
    return try parsePrimitive(s, e, line)
  }

  /// Adds a member; a repeated key is an error in strict mode and last-write-wins
  /// otherwise (§14.3).
  func insert(_ key: String, _ value: JSONValue, into object: inout JSONObject, _ line: Line, _ at: Int)
    throws(TOONError)
  {
    if object.updateValue(value, forKey: key) != nil && strict {
      throw fail(.duplicateKey, "duplicate key \"\(key)\" (§14.3)", line, at)
    }
  }
}
