import Glibc

/// Which clients may read `GET /metrics` (issue 13): loopback (`127.0.0.0/8`, `::1`) always,
/// plus the addresses and CIDR blocks of `BLS_METRICS_ALLOW`, IPv4 and IPv6.
///
/// Addresses are compared as 16 bytes: IPv4 as IPv4-mapped IPv6 (RFC 4291 §2.5.5.2,
/// `::ffff:a.b.c.d`), so an IPv4 client a dual-stack web server reports in the mapped form
/// matches its IPv4 rule. Parsing is `inet_pton(3)`'s.
public struct AddressAllowList: Sendable, Equatable {
  /// One rule: the first `prefixLength` bits of `address`.
  public struct Block: Sendable, Equatable {
    var address: [UInt8]
    var prefixLength: Int

    func contains(_ other: [UInt8]) -> Bool {
      var bits = prefixLength
      for index in 0..<16 where bits > 0 {
        let take = min(8, bits)
        let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
        if address[index] & mask != other[index] & mask { return false }
        bits -= take
      }
      return true
    }
  }

  /// Loopback: `127.0.0.0/8` and `::1/128`.
  public static let loopback = AddressAllowList(blocks: [
    Block(address: mapped([127, 0, 0, 0]), prefixLength: 104),
    Block(address: Array(repeating: 0, count: 15) + [1], prefixLength: 128),
  ])

  public private(set) var blocks: [Block]

  init(blocks: [Block]) {
    self.blocks = blocks
  }

  /// Loopback plus the comma-separated addresses and CIDR blocks of `text`
  /// (`10.0.0.0/8, 192.0.2.7, fd00::/8`); `nil` for an entry that is neither (the caller
  /// names it in a configuration error through ``firstInvalidEntry(_:)``).
  public init?(loopbackAnd text: String) {
    guard Self.firstInvalidEntry(text) == nil else { return nil }
    var blocks = Self.loopback.blocks
    for entry in Self.entries(text) { blocks.append(Self.block(entry)!) }
    self.init(blocks: blocks)
  }

  /// The first entry of `text` that is not an address or CIDR block, if any.
  public static func firstInvalidEntry(_ text: String) -> String? {
    let list = entries(text)
    if list.isEmpty { return text }
    return list.first { block($0) == nil }
  }

  /// Whether `remoteAddress` (CGI `REMOTE_ADDR`) is allowed; an absent or unparsable
  /// address never is.
  public func allows(_ remoteAddress: String?) -> Bool {
    guard let remoteAddress, let bytes = Self.parse(remoteAddress) else { return false }
    return blocks.contains { $0.contains(bytes) }
  }

  private static func entries(_ text: String) -> [String] {
    text.split(separator: ",").map { String($0.filter { $0 != " " && $0 != "\t" }) }.filter { !$0.isEmpty }
  }

  /// `ADDRESS` or `ADDRESS/PREFIX` as a block.
  static func block(_ entry: String) -> Block? {
    let parts = entry.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count <= 2, let address = parse(String(parts[0])) else { return nil }
    let isIPv4 = !parts[0].contains(":")
    let maximum = isIPv4 ? 32 : 128
    var prefix = maximum
    if parts.count == 2 {
      guard !parts[1].isEmpty, parts[1].count <= 3, parts[1].allSatisfy(\.isASCII), let n = Int(parts[1]),
        (0...maximum).contains(n)
      else { return nil }
      prefix = n
    }
    return Block(address: address, prefixLength: isIPv4 ? prefix + 96 : prefix)
  }

  /// An IPv4 or IPv6 address as 16 bytes (IPv4 mapped), by `inet_pton(3)`.
  static func parse(_ text: String) -> [UInt8]? {
    guard text.utf8.count <= 45 else { return nil }
    if !text.contains(":") {
      var v4 = in_addr()
      guard inet_pton(AF_INET, text, &v4) == 1 else { return nil }
      return withUnsafeBytes(of: &v4) { mapped(Array($0)) }
    }
    var v6 = in6_addr()
    guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
    return withUnsafeBytes(of: &v6) { Array($0) }
  }

  private static func mapped(_ v4: [UInt8]) -> [UInt8] {
    Array(repeating: 0, count: 10) + [0xFF, 0xFF] + v4
  }
}
