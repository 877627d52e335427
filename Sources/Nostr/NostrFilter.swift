/// A NIP-01 filter (`REQ` subscription filter). Every present condition must hold; an event
/// matches a list of filters when it matches any one of them.
public struct NostrFilter: Sendable, Hashable {
  /// Exact event ids (lowercase hex).
  public var ids: [String]?
  /// Exact author pubkeys (lowercase hex).
  public var authors: [String]?
  /// Kinds.
  public var kinds: [Int]?
  /// `created_at >= since`.
  public var since: Int64?
  /// `created_at <= until`.
  public var until: Int64?
  /// Tag conditions: single-letter tag name → accepted values (`#e`, `#p`, `#t`, …). An event
  /// matches when it has a tag with that name whose first value is one of the values.
  public var tags: [String: [String]]
  /// At most this many events (the newest ones).
  public var limit: Int?

  public init(
    ids: [String]? = nil, authors: [String]? = nil, kinds: [Int]? = nil, since: Int64? = nil,
    until: Int64? = nil, tags: [String: [String]] = [:], limit: Int? = nil
  ) {
    self.ids = ids
    self.authors = authors
    self.kinds = kinds
    self.since = since
    self.until = until
    self.tags = tags
    self.limit = limit
  }
}
