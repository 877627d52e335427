/// A JSON object whose members keep their order.
///
/// Keys are unique: ``init(_:)`` and ``subscript(_:)`` keep the last value written for a key
/// in the position of its first appearance, as JavaScript objects do.
public struct JSONObject: Sendable, Hashable, Sequence {
  public typealias Member = (key: String, value: JSONValue)

  private var keys: [String] = []
  private var values: [String: JSONValue] = [:]

  /// An empty object.
  public init() {}

  /// An object from members in order; a repeated key overwrites the earlier value.
  public init(_ members: some Sequence<Member>) {
    for member in members { self[member.key] = member.value }
  }

  /// Number of members.
  public var count: Int { keys.count }

  /// `true` when the object has no members.
  public var isEmpty: Bool { keys.isEmpty }

  /// The keys, in order.
  public var orderedKeys: [String] { keys }

  /// Reads or writes a member; writing `nil` removes it.
  public subscript(key: String) -> JSONValue? {
    get { values[key] }
    set {
      if let newValue {
        if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
      } else if values.removeValue(forKey: key) != nil {
        keys.removeAll { $0 == key }
      }
    }
  }

  /// `true` when `key` is present.
  public func contains(_ key: String) -> Bool { values[key] != nil }

  /// Sets `key` to `value` (keeping the key's first position) and returns the value it
  /// replaced, or `nil` when the key is new — one hash lookup instead of two.
  @discardableResult
  public mutating func updateValue(_ value: JSONValue, forKey key: String) -> JSONValue? {
    let old = values.updateValue(value, forKey: key)
    if old == nil { keys.append(key) }
    return old
  }

  /// Reserves room for `count` members.
  public mutating func reserveCapacity(_ count: Int) {
    keys.reserveCapacity(count)
    values.reserveCapacity(count)
  }

  public func makeIterator() -> some IteratorProtocol<Member> {
    var index = 0
    return AnyIterator { [keys, values] () -> Member? in
      guard index < keys.count else { return nil }
      defer { index += 1 }
      return (key: keys[index], value: values[keys[index]]!)
    }
  }

  /// Equality ignores member order, as JSON's data model does.
  public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    lhs.values == rhs.values
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(values)
  }
}
