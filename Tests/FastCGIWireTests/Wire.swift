import FastCGIWire

/// Builds the bytes a web server sends, record by record (FastCGI spec §3.3), written out
/// here independently of the encoder under test.
enum Wire {
  /// One record: header, content, `padding` zero bytes.
  static func record(_ type: UInt8, id: UInt16, _ content: [UInt8] = [], padding: Int = 0, version: UInt8 = 1)
    -> [UInt8]
  {
    [
      version, type, UInt8(id >> 8), UInt8(id & 0xFF), UInt8(content.count >> 8), UInt8(content.count & 0xFF),
      UInt8(padding), 0,
    ] + content + [UInt8](repeating: 0, count: padding)
  }

  /// `FCGI_BEGIN_REQUEST` (§5.1).
  static func begin(_ id: UInt16, role: UInt16 = 1, keep: Bool = false) -> [UInt8] {
    record(1, id: id, [UInt8(role >> 8), UInt8(role & 0xFF), keep ? 1 : 0, 0, 0, 0, 0, 0])
  }

  /// A name-value pair (§3.4) with one-byte lengths under 128, four-byte ones above.
  static func pair(_ name: [UInt8], _ value: [UInt8]) -> [UInt8] {
    length(name.count) + length(value.count) + name + value
  }

  static func pair(_ name: String, _ value: String) -> [UInt8] {
    pair(Array(name.utf8), Array(value.utf8))
  }

  static func length(_ n: Int) -> [UInt8] {
    n < 128 ? [UInt8(n)] : [UInt8(n >> 24) | 0x80, UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)]
  }

  static func params(_ id: UInt16, _ content: [UInt8]) -> [UInt8] { record(4, id: id, content) }
  static func stdin(_ id: UInt16, _ content: [UInt8]) -> [UInt8] { record(5, id: id, content) }

  /// A whole request: begin, params in one record, its end, body in one record, its end.
  static func request(_ id: UInt16, keep: Bool = false, params: [(String, String)], body: [UInt8] = [])
    -> [UInt8]
  {
    let content = params.flatMap { pair($0.0, $0.1) }
    return begin(id, keep: keep) + (content.isEmpty ? [] : Wire.params(id, content)) + Wire.params(id, [])
      + (body.isEmpty ? [] : stdin(id, body)) + stdin(id, [])
  }

  /// `FCGI_END_REQUEST` as the application must send it (§5.5).
  static func endRequest(_ id: UInt16, appStatus: UInt32 = 0, status: UInt8) -> [UInt8] {
    record(
      3, id: id,
      [
        UInt8(appStatus >> 24), UInt8((appStatus >> 16) & 0xFF), UInt8((appStatus >> 8) & 0xFF),
        UInt8(appStatus & 0xFF),
      ]
        + [status, 0, 0, 0])
  }
}

extension FastCGIConnectionParser {
  /// A parser with a 1000-byte body limit and otherwise default limits.
  static func testing(maxBodyBytes: Int = 1000, maxParamsBytes: Int = FastCGILimits.defaultMaxParamsBytes)
    -> FastCGIConnectionParser
  {
    FastCGIConnectionParser(limits: FastCGILimits(maxBodyBytes: maxBodyBytes, maxParamsBytes: maxParamsBytes))
  }

  /// Feeds `bytes` in pieces of the given sizes (the last repeated), gathering every event.
  mutating func consume(_ bytes: [UInt8], pieces: [Int]) -> [FastCGIEvent] {
    var events: [FastCGIEvent] = []
    var offset = 0
    var index = 0
    while offset < bytes.count {
      let size = min(max(pieces[min(index, pieces.count - 1)], 1), bytes.count - offset)
      bytes[offset..<offset + size].withUnsafeBytes { consume($0, into: &events) }
      offset += size
      index += 1
    }
    return events
  }
}

extension FastCGIEvent {
  /// The request carried, if this is one.
  var request: FastCGIRequest? {
    if case .request(let request) = self { return request }
    return nil
  }
}

/// Replies joined, whether they arrived as one event or several.
func replyBytes(_ events: [FastCGIEvent]) -> [UInt8] {
  events.flatMap { event -> [UInt8] in
    if case .reply(let bytes) = event { return bytes }
    return []
  }
}

/// A small deterministic generator (SplitMix64), so random chunkings repeat run to run.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
