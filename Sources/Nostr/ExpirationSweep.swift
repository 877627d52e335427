/// How a store's writer runs the NIP-40 sweep to the end: bounded passes (each one
/// transaction deleting at most `limit` expired events, so that accepts never wait long behind
/// it) until a pass finds less than a full chunk due.
public enum ExpirationSweep {
  /// Runs `pass` until it deletes fewer than `limit` events; the total deleted, or the first
  /// failure.
  public static func runAll(limit: Int, pass: () -> Result<Int, EventStoreError>) -> Result<Int, EventStoreError> {
    var total = 0
    while true {
      switch pass() {
      case .failure(let error): return .failure(error)
      case .success(let deleted):
        total += deleted
        if deleted < limit { return .success(total) }
      }
    }
  }
}
