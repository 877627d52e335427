/// A parsed array or keyed header (§6): `key[N<delim?>]{fields}:` or `key[N:<delim?>]{…}:`.
struct Header {
  /// The key before the bracket segment; `nil` for a keyless header.
  var key: String?
  /// Declared length: array length, or entry count for a keyed header.
  var length: Int
  /// `true` for the keyed marker `[N:]` (§9.5).
  var keyed: Bool
  /// The active delimiter's byte.
  var delimiter: UInt8
  /// The field list, when present.
  var fields: [FieldNode]?
  /// Offset of `[` (for diagnostics).
  var bracketStart: Int
  /// Offset just past the header's colon.
  var restStart: Int
}

/// One entry of a header field list: a name, and a nested field group when the column
/// holds uniform objects (§6, §9.3).
struct FieldNode {
  var name: String
  var children: [FieldNode]?
}

extension [FieldNode] {
  /// Number of leaf fields: the cells each row carries (§9.3).
  var leafCount: Int {
    reduce(0) { $0 + ($1.children?.leafCount ?? 1) }
  }

  /// Deepest nested field group, 0 for a flat list.
  var groupDepth: Int {
    reduce(0) { Swift.max($0, $1.children.map { $0.groupDepth + 1 } ?? 0) }
  }
}

/// How a line's content starts, per the line classes of §5.2.
enum LineShape {
  /// `key: value`; the value starts at `valueStart` (just past the colon).
  case keyValue(key: String, valueStart: Int)
  /// A valid array or keyed header.
  case header(Header)
  /// No key structure: a bare value.
  case scalar
}

/// Why a header attempt failed: `malformed` lines may fall through to key-value parsing in
/// non-strict mode (§6); `fatal` errors hold in every mode.
enum HeaderFailure: Error {
  case malformed(TOONError)
  case fatal(TOONError)
}
