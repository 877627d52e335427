import JSON

/// Line classification (§5.2) and header syntax (§6).
extension Parser {
  /// Classifies the content of `line` starting at `start`: key-value line, array or keyed
  /// header, or bare value (§5.2). A quoted key is unescaped here; a header-shaped line that
  /// breaks the §6 grammar is an error in strict mode and a key-value line otherwise.
  func classify(_ line: Line, from start: Int) throws(TOONError) -> LineShape {
    let end = line.end
    if bytes[start] == 0x22 {
      let (key, after) = try parseQuoted(start, limit: end, line)
      if after < end && bytes[after] == UInt8(ascii: "[") {
        return try headerOrFallback(line, start, bracket: after, key: key)
      }
      var i = after
      while i < end && bytes[i] == 0x20 { i += 1 }
      if i < end && bytes[i] == UInt8(ascii: ":") { return .keyValue(key: key, valueStart: i + 1) }
      return .scalar
    }
    var i = start
    while i < end {
      let b = bytes[i]
      if b == UInt8(ascii: ":") {
        let (s, e) = trim(start, i)
        return .keyValue(key: string(s, e), valueStart: i + 1)
      }
      if b == UInt8(ascii: "[") {
        return try headerOrFallback(line, start, bracket: i, key: i > start ? string(start, i) : nil)
      }
      i += 1
    }
    return .scalar
  }

  /// Parses the header whose bracket segment opens at `bracket`; on a grammar failure
  /// applies the strict / non-strict rule of §6.
  private func headerOrFallback(_ line: Line, _ start: Int, bracket: Int, key: String?)
    throws(TOONError) -> LineShape
  {
    do throws(HeaderFailure) {
      if bracket > start && bytes[bracket - 1] == 0x20 {
        throw .malformed(
          fail(
            .invalidHeader, "whitespace between a key and its bracket segment (§6)",
            line, bracket - 1))
      }
      return .header(try parseHeader(line, key: key, bracket: bracket))
    } catch {
      switch error {
      case .fatal(let e): throw e
      case .malformed(let e):
        guard let colon = firstColon(start, line.end) else { return .scalar }
        if strict { throw e }
        let (s, t) = trim(start, colon)
        return .keyValue(key: string(s, t), valueStart: colon + 1)
      }
    }
  }

  private func firstColon(_ start: Int, _ end: Int) -> Int? {
    var i = start
    while i < end {
      if bytes[i] == UInt8(ascii: ":") { return i }
      i += 1
    }
    return nil
  }

  /// §6 bracket segment, optional field list and colon, starting at `[`.
  func parseHeader(_ line: Line, key: String?, bracket: Int) throws(HeaderFailure) -> Header {
    let end = line.end
    func malformed(_ message: String, _ at: Int) -> HeaderFailure {
      .malformed(fail(.invalidHeader, message, line, at))
    }
    var i = bracket + 1
    var length = 0
    if i < end && bytes[i] == UInt8(ascii: "0") {
      i += 1
      if i < end && ASCII.isDigit(bytes[i]) {
        throw malformed("array length must not have leading zeros (§6)", bracket + 1)
      }
    } else if i < end && bytes[i] >= UInt8(ascii: "1") && bytes[i] <= UInt8(ascii: "9") {
      while i < end && ASCII.isDigit(bytes[i]) {
        let (times10, o1) = length.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times10.addingReportingOverflow(Int(bytes[i] - 0x30))
        if o1 || o2 {
          throw .fatal(fail(.lengthTooLarge, "declared length is too large", line, bracket))
        }
        length = sum
        i += 1
      }
    } else {
      throw malformed("array length must be a non-negative integer without sign (§6)", i)
    }
    var keyed = false
    if i < end && bytes[i] == UInt8(ascii: ":") {
      keyed = true
      i += 1
    }
    var delimiter = UInt8(ascii: ",")
    if i < end && (bytes[i] == 0x09 || bytes[i] == UInt8(ascii: "|")) {
      delimiter = bytes[i]
      i += 1
    }
    guard i < end && bytes[i] == UInt8(ascii: "]") else {
      throw malformed("malformed bracket segment: expected [N], [N:], with an optional tab or | delimiter (§6)", i)
    }
    i += 1
    var fields: [FieldNode]? = nil
    if i < end && bytes[i] == UInt8(ascii: "{") {
      fields = try parseFieldList(&i, line, delimiter, nesting: 1)
    }
    guard i < end && bytes[i] == UInt8(ascii: ":") else {
      throw malformed(
        i == end
          ? "array header is missing its colon (§6)"
          : "unexpected text between the bracket segment and the colon (§6)", i)
    }
    i += 1
    if keyed && fields == nil {
      throw malformed("a keyed header [N:] requires a field list (§6, §9.5)", bracket)
    }
    if fields != nil {
      let (s, e) = trim(i, end)
      if s < e { throw malformed("a header with a field list carries no inline values (§6)", s) }
    }
    return Header(
      key: key, length: length, keyed: keyed, delimiter: delimiter, fields: fields,
      bracketStart: bracket, restStart: i)
  }

  /// Parses `{…}` at `i` (recursively for nested field groups) and moves `i` past `}`.
  private func parseFieldList(_ i: inout Int, _ line: Line, _ delimiter: UInt8, nesting: Int)
    throws(HeaderFailure) -> [FieldNode]
  {
    let end = line.end
    func malformed(_ message: String) -> HeaderFailure {
      .malformed(fail(.invalidHeader, message, line, min(i, end)))
    }
    if nesting > maxDepth {
      throw .fatal(fail(.tooDeep, "field groups nested deeper than the limit of \(maxDepth) (§15)", line, i))
    }
    i += 1
    var nodes: [FieldNode] = []
    var names = Set<String>()
    while true {
      while i < end && bytes[i] == 0x20 { i += 1 }
      guard i < end else { throw malformed("field list is missing its closing '}' (§6)") }
      var name: String
      if bytes[i] == 0x22 {
        do throws(TOONError) { (name, i) = try parseQuoted(i, limit: end, line) } catch { throw .fatal(error) }
      } else {
        let nameStart = i
        while i < end {
          let b = bytes[i]
          if b == delimiter || b == UInt8(ascii: "{") || b == UInt8(ascii: "}") || b == UInt8(ascii: ":") {
            break
          }
          if b == UInt8(ascii: ",") || b == UInt8(ascii: "|") || b == 0x09 {
            throw malformed("field list uses a delimiter other than the one in the brackets (§6)")
          }
          i += 1
        }
        let (s, e) = trim(nameStart, i)
        guard s < e else {
          throw malformed(nodes.isEmpty ? "empty field list (§6)" : "empty field name (§6)")
        }
        name = string(s, e)
      }
      while i < end && bytes[i] == 0x20 { i += 1 }
      var children: [FieldNode]? = nil
      if i < end && bytes[i] == UInt8(ascii: "{") {
        children = try parseFieldList(&i, line, delimiter, nesting: nesting + 1)
        while i < end && bytes[i] == 0x20 { i += 1 }
      }
      if strict && !names.insert(name).inserted {
        throw .fatal(fail(.duplicateKey, "field name \"\(name)\" appears twice in one field list (§14.3)", line, i))
      }
      nodes.append(FieldNode(name: name, children: children))
      guard i < end else { throw malformed("field list is missing its closing '}' (§6)") }
      if bytes[i] == delimiter {
        i += 1
      } else if bytes[i] == UInt8(ascii: "}") {
        i += 1
        return nodes
      } else {
        throw malformed("unexpected character in field list (§6)")
      }
    }
  }
}
