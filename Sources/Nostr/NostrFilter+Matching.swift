extension NostrFilter {
  /// `true` when `event` satisfies every condition present in this filter (NIP-01 `REQ`):
  /// - `ids`, `authors`, `kinds`: the event's value is in the list (exact match; an empty
  ///   list matches nothing, as in nostr-tools);
  /// - `since` ≤ `created_at` ≤ `until`;
  /// - each `tags` entry (`"e"` or `"#e"` → values): some tag with that name has its first
  ///   value in the list.
  /// Strings compare byte for byte (UTF-8), never by Unicode canonical equivalence.
  /// `limit` is not a matching condition: stores apply it to each filter's results.
  public func matches(_ event: NostrEvent) -> Bool {
    if let ids, !ids.contains(where: { $0.utf8Equals(event.id) }) { return false }
    if let authors, !authors.contains(where: { $0.utf8Equals(event.pubkey) }) { return false }
    if let kinds, !kinds.contains(event.kind) { return false }
    if let since, event.createdAt < since { return false }
    if let until, event.createdAt > until { return false }
    for (name, values) in tags {
      let tagName = name.hasPrefix("#") ? String(name.dropFirst()) : name
      let found = event.tags.contains { tag in
        tag.count > 1 && tag[0].utf8Equals(tagName) && values.contains { $0.utf8Equals(tag[1]) }
      }
      if !found { return false }
    }
    return true
  }
}

extension Sequence where Element == NostrFilter {
  /// The events of `events` matched by any filter, each filter contributing at most its
  /// `limit` newest events, without duplicates, in query order (newest first, then id
  /// ascending). No filters, no events.
  public func select(from events: some Collection<NostrEvent>) -> [NostrEvent] {
    var seen = Set<[UInt8]>()
    var result: [NostrEvent] = []
    for filter in self {
      var matched = events.filter(filter.matches)
      if let limit = filter.limit {
        matched.sort(by: NostrEvent.queryOrder)
        matched = Array(matched.prefix(Swift.max(0, limit)))
      }
      for event in matched where seen.insert(Array(event.id.utf8)).inserted {
        result.append(event)
      }
    }
    return result.sorted(by: NostrEvent.queryOrder)
  }
}
