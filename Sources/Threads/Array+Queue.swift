extension Array {
  /// Removes and returns the first `count` elements, or all of them when there are fewer: a
  /// consumer taking the next batch from a queue kept in an array.
  public mutating func removeFirst(atMost count: Int) -> [Element] {
    let taken = Array(prefix(Swift.max(0, count)))
    removeFirst(taken.count)
    return taken
  }
}
