/// How NIP-01 tells a relay to store an event, by its kind.
///
/// | class | kinds | stored |
/// |---|---|---|
/// | regular | all others (1, 2, 4–44, 1000–9999, …) | every event |
/// | replaceable | 0, 3, 10000–19999 | newest per (pubkey, kind) |
/// | ephemeral | 20000–29999 | every event, like regular (see below) |
/// | addressable | 30000–39999 | newest per (pubkey, kind, first `d` tag value) |
///
/// Ephemeral events: NIP-01 says relays are not expected to store them, but the BLS is paid
/// per event and the reference stores every accepted event (SPSP requests, kind 23194, are
/// ephemeral and are stored and answered from storage), and docs/contract.md lists no exception;
/// so BLS stores them as regular events.
///
/// "Newest" (``NostrEvent/supersedes(_:)``): larger `created_at`; on equal `created_at`, the
/// lowest id (lexical order of the lowercase hex, i.e. of the id bytes).
public enum KindClass: Sendable, Hashable {
  case regular
  case replaceable
  case ephemeral
  case addressable

  /// The class of `kind` (NIP-01 "Kinds").
  public init(kind: Int) {
    switch kind {
    case 0, 3, 10000..<20000: self = .replaceable
    case 20000..<30000: self = .ephemeral
    case 30000..<40000: self = .addressable
    default: self = .regular
    }
  }

  /// `true` when a newer event replaces older ones (replaceable and addressable kinds).
  public var isReplaceable: Bool {
    self == .replaceable || self == .addressable
  }
}
