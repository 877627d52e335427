/// What an event's NIP-40 `expiration` tag says (``NostrEvent/expiration``).
///
/// NIP-40: an `expiration` tag holds a Unix time in seconds, after which relays should drop
/// the event and should not accept it. BLS reads the **first** tag named `expiration` and is
/// strict about its value: decimal digits only (no sign, space or fraction), at most
/// 2^63−1. NIP-40 asks clients to ignore events that have expired but does not say what a
/// malformed value means; BLS neither guesses a time from it nor keeps forever what its author
/// meant to expire, so such an event is refused (docs/contract.md § POST /handle-payment, step 4a).
public enum Expiration: Sendable, Equatable {
  /// No tag named `expiration`.
  case none
  /// The event expires at this Unix time, in seconds.
  case at(Int64)
  /// The first `expiration` tag has no value, or a value that is not decimal digits within
  /// 0…2^63−1.
  case malformed
}

extension NostrEvent {
  /// NIP-40: the time of this event's first `expiration` tag (see ``Expiration``).
  public var expiration: Expiration {
    for tag in tags where tag.first?.utf8Equals("expiration") == true {
      guard tag.count > 1 else { return .malformed }
      let text = tag[1]
      guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let seconds = Int64(text) else {
        return .malformed
      }
      return .at(seconds)
    }
    return .none
  }
}
