/// A JSON object whose members keep their order.
///
/// Keys are unique: ``init(_:)`` and ``subscript(_:)`` keep the last value written for a key
/// in the position of its first appearance, as JavaScript objects do.
///
/// Members live in one array in order. Small objects (every object a BLS request, an event or
/// an answer has) find a key by scanning it, which beats hashing; past
/// ``indexThreshold`` members a key → position index is kept, so a hostile object with
/// thousands of keys still costs one hash per lookup.
public struct JSONObject: Sendable, Hashable, Sequence {
  public typealias Member = (key: String, value: JSONValue)

  /// Members beyond which lookups go through a hash index instead of a scan.
  static let indexThreshold = 12

  private var members: [Member] = []
  /// Key → position in `members`; built once the object outgrows a scan.
  private var index: [String: Int]?

  /// An empty object.
  public init() {}

  /// An object from members in order; a repeated key overwrites the earlier value.
  public init(_ members: some Sequence<Member>) {
    for member in members { updateValue(member.value, forKey: member.key) }
  }

  /// Number of members.
  public var count: Int { members.count }

  /// `true` when the object has no members.
  public var isEmpty: Bool { members.isEmpty }

  /// The keys, in order.
  public var orderedKeys: [String] { members.map(\.key) }

  /// Reads or writes a member; writing `nil` removes it.
  public subscript(key: String) -> JSONValue? {
    get { position(of: key).map { members[$0].value } }
    set {
      if let newValue {
        updateValue(newValue, forKey: key)
      } else if let position = position(of: key) {
        members.remove(at: position)
        if index != nil { rebuildIndex() }
      }
    }
  }

  /// `true` when `key` is present.
  public func contains(_ key: String) -> Bool { position(of: key) != nil }

  /// Sets `key` to `value` (keeping the key's first position) and returns the value it
  /// replaced, or `nil` when the key is new — one lookup instead of two.
  @discardableResult
  public mutating func updateValue(_ value: JSONValue, forKey key: String) -> JSONValue? {
    if let position = position(of: key) {
      let old = members[position].value
      members[position].value = value
      return old
    }
    members.append((key: key, value: value))
    if index != nil {
      index![key] = members.count - 1
    } else if members.count > Self.indexThreshold {
      rebuildIndex()
    }
    return nil
  }

  /// Reserves room for `count` members.
  public mutating func reserveCapacity(_ count: Int) {
    members.reserveCapacity(count)
  }

  public func makeIterator() -> IndexingIterator<[Member]> {
    members.makeIterator()
  }

  /// Equality ignores member order, as JSON's data model does.
  public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    guard lhs.count == rhs.count else { return false }
    return lhs.members.allSatisfy { member in rhs[member.key] == member.value }
  }

  /// Order-independent, like equality: the hashes of the members are summed.
  public func hash(into hasher: inout Hasher) {
    var sum = 0
    for member in members {
      var memberHasher = Hasher()
      memberHasher.combine(member.key)
      memberHasher.combine(member.value)
      sum &+= memberHasher.finalize()
    }
    hasher.combine(members.count)
    hasher.combine(sum)
  }

  private func position(of key: String) -> Int? {
    if let index { return index[key] }
    for position in members.indices where members[position].key == key { return position }
    return nil
  }

  private mutating func rebuildIndex() {
    var positions: [String: Int] = [:]
    positions.reserveCapacity(members.count)
    for (position, member) in members.enumerated() { positions[member.key] = position }
    index = positions
  }
}
