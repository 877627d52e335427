import JSON

/// Arrays (§9.1–§9.4), keyed tabular objects (§9.5) and list items (§10).
extension Parser {
  /// Decodes what a header introduces. The header line stands at `parentDepth`; its
  /// items, rows or entries sit one level deeper. `level` is the new container's level.
  mutating func parseHeaderValue(_ header: Header, _ line: Line, parentDepth: Int, level: Int)
    throws(TOONError) -> JSONValue
  {
    if let fields = header.fields {
      try checkDepth(level + 1 + fields.groupDepth, line, header.bracketStart)
      return header.keyed
        ? try parseEntries(header, fields, line, parentDepth: parentDepth, level: level)
        : try parseRows(header, fields, line, parentDepth: parentDepth, level: level)
    }
    let (s, e) = trim(header.restStart, line.end)
    guard s < e else {
      return try parseListItems(header, line, parentDepth: parentDepth, level: level)
    }
    let values = try splitCells(s, e, header.delimiter, line)
    try checkCount(values.count, header, line, what: "values")
    return .array(values)
  }

  /// §14.1: in strict mode the declared length must match what was read.
  func checkCount(_ count: Int, _ header: Header, _ line: Line, what: String) throws(TOONError) {
    if strict && count != header.length {
      throw fail(
        .countMismatch, "header declares \(header.length) \(what) but \(count) follow (§14.1)",
        line, header.bracketStart)
    }
  }

  /// Marks the start of a header span when its first item line is consumed (§12).
  private mutating func enterSpan(_ entered: inout Bool) {
    if !entered {
      entered = true
      spanDepth += 1
    }
  }

  /// List form: `- item` lines one level below the header (§9.2, §9.4).
  private mutating func parseListItems(_ header: Header, _ line: Line, parentDepth: Int, level: Int)
    throws(TOONError) -> JSONValue
  {
    var items: [JSONValue] = []
    var entered = false
    defer { if entered { spanDepth -= 1 } }
    if let depth = try scopeDepth(parent: parentDepth) {
      while let next = current, next.depth >= depth {
        if next.depth > depth {
          try rejectOverIndented(next)
          continue
        }
        guard isListItem(next) else { break }
        let item = try take()
        enterSpan(&entered)
        items.append(try parseListItem(item, itemDepth: depth, level: level + 1))
      }
    }
    try checkCount(items.count, header, line, what: "list items")
    return .array(items)
  }

  private func isListItem(_ line: Line) -> Bool {
    bytes[line.start] == UInt8(ascii: "-") && (line.end - line.start == 1 || bytes[line.start + 1] == 0x20)
  }

  /// One `- …` item at `itemDepth`: a primitive, an inner array, `[]`, an empty object
  /// (bare `-`), or an object whose first field is on the hyphen line (§10).
  private mutating func parseListItem(_ item: Line, itemDepth: Int, level: Int) throws(TOONError) -> JSONValue {
    if item.end - item.start == 1 {
      try checkDepth(level, item, item.start)
      return .object(JSONObject())
    }
    let (s, e) = trim(item.start + 2, item.end)
    if matches(s, e, "[]") {
      try checkDepth(level, item, s)
      return .array([])
    }
    var shape = try classify(item, from: s)
    if case .header(let header) = shape, header.key == nil {
      if header.fields == nil && !header.keyed {
        try checkDepth(level, item, s)
        return try parseHeaderValue(header, item, parentDepth: itemDepth, level: level)
      }
      if strict {
        throw fail(
          .misplacedHeader, "a keyless header with a field list is allowed only at the document root (§6)",
          item, s)
      }
      shape = .keyValue(key: string(s, header.restStart - 1), valueStart: header.restStart)
    }
    if case .scalar = shape { return try parsePrimitive(s, e, item) }
    try checkDepth(level, item, s)
    var object = JSONObject()
    try parseField(shape, item, from: s, fieldDepth: itemDepth + 1, level: level, into: &object)
    try parseObjectBody(depth: itemDepth + 1, level: level, into: &object)
    return .object(object)
  }

  /// Tabular rows under `key[N]{fields}:` (§9.3).
  private mutating func parseRows(
    _ header: Header, _ fields: [FieldNode], _ line: Line, parentDepth: Int, level: Int
  ) throws(TOONError) -> JSONValue {
    let width = fields.leafCount
    var rows: [JSONValue] = []
    var entered = false
    defer { if entered { spanDepth -= 1 } }
    if let depth = try scopeDepth(parent: parentDepth) {
      while let next = current, next.depth >= depth {
        if next.depth > depth {
          try rejectOverIndented(next)
          continue
        }
        // §9.3 disambiguation: a colon before any delimiter ends the rows.
        if let first = firstUnquoted(next.start, next.end, delimiter: header.delimiter), first.isColon { break }
        let row = try take()
        enterSpan(&entered)
        let cells = try splitCells(row.start, row.end, header.delimiter, row)
        try checkWidth(cells.count, width, row)
        var cursor = 0
        rows.append(.object(buildObject(fields, cells, &cursor)))
      }
    }
    try checkCount(rows.count, header, line, what: "rows")
    return .array(rows)
  }

  /// Entry rows `key: cells` under `key[N:]{fields}:` (§9.5).
  private mutating func parseEntries(
    _ header: Header, _ fields: [FieldNode], _ line: Line, parentDepth: Int, level: Int
  ) throws(TOONError) -> JSONValue {
    let width = fields.leafCount
    var object = JSONObject()
    var count = 0
    var entered = false
    defer { if entered { spanDepth -= 1 } }
    if let depth = try scopeDepth(parent: parentDepth) {
      while let next = current, next.depth >= depth {
        if next.depth > depth {
          try rejectOverIndented(next)
          continue
        }
        guard let colon = firstUnquoted(next.start, next.end, delimiter: nil)?.index else {
          if strict {
            throw fail(.missingColon, "an entry row needs \"key: cells\" (§9.5)", next, next.start)
          }
          try skip()
          continue
        }
        let row = try take()
        enterSpan(&entered)
        let key = try parseKey(row.start, colon, row)
        let (s, e) = trim(colon + 1, row.end)
        let cells = s < e ? try splitCells(s, e, header.delimiter, row) : []
        try checkWidth(cells.count, width, row)
        var cursor = 0
        let value = buildObject(fields, cells, &cursor)
        try insert(key, .object(value), into: &object, row, row.start)
        count += 1
      }
    }
    try checkCount(count, header, line, what: "entries")
    return .object(object)
  }

  /// An entry key before its colon (§7.4): quoted keys are unescaped, others are literal.
  private func parseKey(_ start: Int, _ end: Int, _ line: Line) throws(TOONError) -> String {
    let (s, e) = trim(start, end)
    guard s < e, bytes[s] == 0x22 else { return string(s, e) }
    let (key, after) = try parseQuoted(s, limit: e, line)
    guard after == e else { throw textAfterQuote(after, line) }
    return key
  }

  private func checkWidth(_ count: Int, _ width: Int, _ row: Line) throws(TOONError) {
    if strict && count != width {
      throw fail(
        .widthMismatch, "row has \(count) cells but the header has \(width) fields (§14.1)",
        row, row.start)
    }
  }

  /// Builds one element from its cells by walking the field list depth-first (§9.3).
  /// Missing cells leave fields out; surplus cells are ignored (non-strict, §14.1).
  private func buildObject(_ fields: [FieldNode], _ cells: [JSONValue], _ cursor: inout Int) -> JSONObject {
    var object = JSONObject()
    for field in fields {
      if let children = field.children {
        let nested = buildObject(children, cells, &cursor)
        if !nested.isEmpty { object[field.name] = .object(nested) }
      } else if cursor < cells.count {
        object[field.name] = cells[cursor]
        cursor += 1
      }
    }
    return object
  }
}
