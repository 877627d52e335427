import BLSApp

/// The application under test: the payment cases' `main` profile (base price 7, kind
/// overrides including a huge one, an owner who pays nothing), a fixed clock, ``FuzzStore``.
enum FuzzApplication {
  static let shared: BLSApplication = {
    let environment = Environment([
      "NODE_ID": "bls-acceptance-dev",
      "NOSTR_SECRET_KEY": "16b6c6f760f4a342c29f413fa99d658126ef5bd17362aff1eba1eb4af20627bf",
      "ILP_ADDRESS": "g.bls-acceptance.dev",
      "BLS_BASE_PRICE_PER_BYTE": "7",
      "BLS_KIND_OVERRIDES": #"{"0":"0","7":"1","30023":"25","1984":"100000000000000000000"}"#,
      "OWNER_PUBKEY": "b4eea2b89ce1a1cf560e4151581e58239564864a4d7d66b7be160a1ad0ebd41e",
      "SPSP_MIN_PRICE": "0",
    ])
    do {
      return BLSApplication(
        configuration: try BLSConfiguration.fromEnvironment(environment), store: FuzzStore(),
        clock: { 1_700_000_000_000 })
    } catch {
      fatalError("fuzz configuration: \(error)")
    }
  }()
}
