import JSON
import TOON

/// Strict TOON: whatever ``TOONDecoder`` accepts, ``TOONEncoder`` writes as TOON that decodes
/// to an equal value (decode → encode → decode is stable), and encoding that value again gives
/// the same text. Rejected input must be a thrown `TOONError`, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = UnsafeBufferPointer(start: data, count: size)
  guard let value = try? TOONDecoder(strict: true).decode(bytes) else { return 0 }
  let encoded = TOONEncoder().encodeBytes(value)
  let again: JSONValue
  do {
    again = try TOONDecoder(strict: true).decode(encoded)
  } catch {
    fatalError("the encoder's output does not decode: \(error):\n\(String(decoding: encoded, as: UTF8.self))")
  }
  precondition(
    again == value, "decode → encode → decode changed the value:\n\(String(decoding: encoded, as: UTF8.self))")
  precondition(TOONEncoder().encodeBytes(again) == encoded, "encoding the decoded output again gave other text")
  return 0
}
