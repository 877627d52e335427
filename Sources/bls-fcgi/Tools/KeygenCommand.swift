import ArgumentParser
import Nostr
import ProcessSupport

/// `bls-fcgi keygen`: a fresh secp256k1 key pair for `NOSTR_SECRET_KEY`.
struct KeygenCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "keygen",
    abstract: "Print a new secret key and its x-only public key (hex).",
    discussion: """
      The secret comes from the operating system's random source. Output, one per line:
        NOSTR_SECRET_KEY=<64 hex>
        PUBKEY=<64 hex>
      Keep the secret out of shell history and logs: redirect it to a file and use
      NOSTR_SECRET_KEY_FILE.
      """)

  func run() throws {
    let key = SecretKey.generate()
    StandardIO.write("NOSTR_SECRET_KEY=\(key.revealHex())\nPUBKEY=\(key.publicKey.hex)\n")
  }
}
