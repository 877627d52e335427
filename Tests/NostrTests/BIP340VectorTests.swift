import Foundation
import Nostr
import Testing

/// One row of BIP-340's official `test-vectors.csv`.
struct BIP340Vector: Sendable, CustomTestStringConvertible {
  let index: Int
  let secretKey: String
  let publicKey: String
  let auxRand: String
  let message: String
  let signature: String
  let expected: Bool
  let comment: String

  var testDescription: String { "#\(index)\(comment.isEmpty ? "" : " (\(comment))")" }

  static let all: [BIP340Vector] = {
    let text = String(decoding: FixtureVectors.data("bip340-test-vectors.csv"), as: UTF8.self)
    return text.split(whereSeparator: \.isNewline).dropFirst().compactMap { line in
      let f = line.split(separator: ",", maxSplits: 7, omittingEmptySubsequences: false).map(String.init)
      guard f.count >= 7, let index = Int(f[0]) else { return nil }
      return BIP340Vector(
        index: index, secretKey: f[1], publicKey: f[2], auxRand: f[3], message: f[4],
        signature: f[5], expected: f[6] == "TRUE", comment: f.count > 7 ? f[7] : "")
    }
  }()
}

@Suite("BIP-340 official test vectors")
struct BIP340VectorTests {
  @Test func allRowsAreLoaded() {
    #expect(BIP340Vector.all.count == 19)
    #expect(BIP340Vector.all.map(\.index) == Array(0..<19))
  }

  @Test(arguments: BIP340Vector.all)
  func verification(_ v: BIP340Vector) {
    let signature = [UInt8](hexString: v.signature)
    let message = [UInt8](hexString: v.message)
    guard let key = try? XOnlyPublicKey(hex: v.publicKey) else {
      // Only the "public key not on the curve / exceeds field size" rows may fail to parse.
      #expect(!v.expected, "a valid vector's public key must parse")
      return
    }
    #expect(Schnorr.verify(signature: signature, message: message, publicKey: key) == v.expected)
  }

  @Test(arguments: BIP340Vector.all.filter { !$0.secretKey.isEmpty })
  func signing(_ v: BIP340Vector) throws {
    let key = try SecretKey(hex: v.secretKey)
    #expect(key.publicKey.hex == v.publicKey.lowercased())
    let signature = key.sign(
      message: [UInt8](hexString: v.message), auxiliaryRandomness: [UInt8](hexString: v.auxRand))
    #expect(Hex.encode(signature) == v.signature.lowercased())
  }
}
