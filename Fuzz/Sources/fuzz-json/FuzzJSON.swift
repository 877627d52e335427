import JSON

/// Differential: whatever ``JSONParser`` accepts, ``JSONWriter`` writes as JSON that parses
/// back to an equal value, and writing that value again gives the same bytes. Rejected input
/// must be a thrown ``JSONError``, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = UnsafeBufferPointer(start: data, count: size)
  guard let value = try? JSONParser().parse(bytes) else { return 0 }
  let written = value.serializedBytes
  let again: JSONValue
  do {
    again = try JSONParser().parse(written)
  } catch {
    fatalError("the writer's output does not parse: \(error): \(String(decoding: written, as: UTF8.self))")
  }
  precondition(again == value, "the round trip changed the value: \(String(decoding: written, as: UTF8.self))")
  precondition(again.serializedBytes == written, "writing the parsed output again gave other bytes")
  return 0
}
