import JSON

/// Encodes a ``JSONValue`` as canonical TOON (`toon-format/spec` SPEC.md v4.1).
///
/// The form of every value follows from its shape and position (§1.4, §9): inline
/// primitive arrays, tabular arrays with nested field groups for uniform objects (§9.3),
/// keyed tabular form for objects of uniform objects (§9.5), list form otherwise; the first
/// field of a list-item object goes on the hyphen line (§10). Strings are quoted only when
/// §7.2 requires it, escaped per §7.1 (other C0 controls as lowercase `\u00xx`), numbers
/// are written in canonical decimal form (§2). Output uses LF, no trailing spaces and no
/// trailing newline (§12).
///
/// Numbers are rendered from ``JSONNumber/literal`` without going through `Double`, so
/// integers and decimals of any length are kept exactly; values with magnitude at or
/// above 1e21 or below 1e-6 use exponent form `1.5e+21` / `1e-7` (§2). A literal that is
/// not a JSON number (never produced by this package) is written as `null` (§3).
public struct TOONEncoder: Sendable {
  /// Spaces per indentation level (default 2; values below 1 count as 1).
  public var indent: Int
  /// The document delimiter, declared by every header (§11.1).
  public var delimiter: TOONDelimiter

  public init(indent: Int = 2, delimiter: TOONDelimiter = .comma) {
    self.indent = indent
    self.delimiter = delimiter
  }

  /// The TOON text of `value`.
  public func encode(_ value: JSONValue) -> String {
    String(decoding: encodeBytes(value), as: UTF8.self)
  }

  /// The TOON text of `value` as UTF-8 bytes.
  public func encodeBytes(_ value: JSONValue) -> [UInt8] {
    var emitter = Emitter(indent: max(1, indent), delimiter: delimiter.byte)
    emitter.writeRoot(value)
    return emitter.out
  }
}
