/// The delimiter that separates inline array values, tabular row cells and keyed entry-row
/// cells (TOON §11). Comma is the default and is never written inside brackets.
public enum TOONDelimiter: Sendable, Hashable, CaseIterable {
  case comma
  case tab
  case pipe

  /// The delimiter's byte.
  public var byte: UInt8 {
    switch self {
    case .comma: UInt8(ascii: ",")
    case .tab: 0x09
    case .pipe: UInt8(ascii: "|")
    }
  }

  /// The delimiter as a one-character string.
  public var character: String {
    switch self {
    case .comma: ","
    case .tab: "\t"
    case .pipe: "|"
    }
  }
}
