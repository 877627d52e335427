import Nostr
import Testing

@Suite("SHA-256 (libcrypto)")
struct SHA256Tests {
  /// FIPS 180-4 / NIST CAVP examples.
  @Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
  ])
  func knownDigests(input: String, digest: String) {
    #expect(SHA256.hexHash(Array(input.utf8)) == digest)
    #expect(SHA256.hash(Array(input.utf8)).count == 32)
  }

  @Test func millionAs() {
    let input = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    #expect(SHA256.hexHash(input) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test func nonContiguousCollectionsHashTheSameBytes() {
    let bytes = Array("hello world".utf8)
    #expect(SHA256.hash(bytes.reversed().reversed()) == SHA256.hash(bytes))
    #expect(SHA256.hash("hello world".utf8) == SHA256.hash(bytes))
    #expect(SHA256.hash(bytes[0..<5]) == SHA256.hash(Array("hello".utf8)))
  }

  @Test func concurrentHashingAgrees() async {
    let expected = SHA256.hash(Array("abc".utf8))
    await withTaskGroup(of: Bool.self) { group in
      for _ in 0..<64 { group.addTask { SHA256.hash(Array("abc".utf8)) == expected } }
      for await ok in group { #expect(ok) }
    }
  }
}

@Suite("Hex")
struct HexTests {
  @Test func encodesLowercase() {
    #expect(Hex.encode([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    #expect(Hex.encode([]) == "")
  }

  @Test func decodesEitherCaseUnlessLowercaseOnly() {
    #expect(Hex.decode("00ffAb") == [0x00, 0xff, 0xab])
    #expect(Hex.decode("00ffAb", lowercaseOnly: true) == nil)
    #expect(Hex.decode("00ffab", lowercaseOnly: true) == [0x00, 0xff, 0xab])
    #expect(Hex.decode("") == [])
  }

  @Test(arguments: ["0", "abc", "0g", "zz", " 00", "00 ", "0x00", "ｆｆ", "é0"])
  func rejectsMalformed(_ text: String) {
    #expect(Hex.decode(text) == nil)
  }

  @Test func fixedLengthDecoding() {
    #expect(Hex.decode(String(repeating: "ab", count: 32), count: 32)?.count == 32)
    #expect(Hex.decode(String(repeating: "ab", count: 31), count: 32) == nil)
    #expect(Hex.isHex(String(repeating: "a", count: 64), length: 64))
    #expect(!Hex.isHex(String(repeating: "A", count: 64), length: 64, lowercaseOnly: true))
    #expect(!Hex.isHex(String(repeating: "a", count: 63), length: 64))
  }

  @Test func roundTripsEveryByte() {
    let all = (0...255).map(UInt8.init)
    #expect(Hex.decode(Hex.encode(all)) == all)
  }
}
