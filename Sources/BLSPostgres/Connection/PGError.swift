/// A failed libpq call: the server's SQLSTATE (when the server answered) and its message.
///
/// The store turns these into ``Nostr/EventStoreError`` codes with ``eventStoreCode``; the
/// SQLSTATE is kept so the writer can tell a lost connection from a deadlock from one bad
/// event (PostgreSQL, Appendix A "Error Codes").
struct PGError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Five-character SQLSTATE, e.g. `"40P01"`; `nil` when the server did not answer.
  let sqlState: String?
  /// libpq's or the server's words, on one line.
  let message: String
  /// `true` when the connection is no longer usable (closed by the server, network lost).
  let connectionLost: Bool

  init(sqlState: String?, message: String, connectionLost: Bool) {
    self.sqlState = sqlState
    self.message = Self.oneLine(message)
    self.connectionLost = connectionLost
  }

  var description: String {
    sqlState.map { "\(message) (SQLSTATE \($0))" } ?? message
  }

  /// A deadlock or serialization failure: the transaction was rolled back and may be retried
  /// as a whole (class 40).
  var isRetryable: Bool { sqlState == "40P01" || sqlState == "40001" }

  /// A failure caused by one event's values (data exception, integrity violation, program
  /// limit such as an index row too large): the transaction is aborted, but the connection and
  /// the other events are sound (classes 22, 23, 54).
  var isEventFailure: Bool {
    guard !connectionLost, let sqlState else { return false }
    return sqlState.hasPrefix("22") || sqlState.hasPrefix("23") || sqlState.hasPrefix("54")
  }

  /// The stable code of the ``Nostr/EventStoreError`` this failure becomes.
  var eventStoreCode: String {
    if connectionLost { return "unavailable" }
    guard let sqlState else { return "unavailable" }
    if sqlState == "53100" { return "disk_full" }
    switch sqlState.prefix(2) {
    case "08", "57": return "unavailable"  // connection exception, operator intervention
    case "40": return "conflict"
    case "42": return sqlState == "42501" ? "permission" : "postgres"
    case "53": return "resources"
    case "22", "23", "54": return "invalid_event"
    default: return "postgres"
    }
  }

  /// `text` with its line breaks and runs of spaces folded to single spaces.
  static func oneLine(_ text: String) -> String {
    text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == " " })
      .joined(separator: " ")
  }
}
