/// Writes an application's records (FastCGI spec §5.3, §5.5) into a byte buffer the caller
/// keeps and reuses (`removeAll(keepingCapacity: true)` between responses).
public enum FastCGIResponseEncoder {
  /// The most content bytes put in one `FCGI_STDOUT` record: the largest multiple of eight
  /// that fits the 16-bit `contentLength` (65535), so every full record needs no padding.
  public static let maxStdoutContent = 65528

  /// Appends `bytes` as `FCGI_STDOUT` records for `requestId` (§5.3): at most
  /// ``maxStdoutContent`` content bytes each, each padded to a multiple of eight bytes (§3.3).
  /// Empty input appends nothing (an empty record would end the stream).
  public static func appendStdout(_ bytes: UnsafeRawBufferPointer, requestId: UInt16, to out: inout [UInt8]) {
    var offset = 0
    while offset < bytes.count {
      let length = min(maxStdoutContent, bytes.count - offset)
      let padding = FastCGIRecordHeader.alignedPadding(for: length)
      FastCGIRecordHeader(type: .stdout, requestId: requestId, contentLength: length, paddingLength: padding)
        .encode(into: &out)
      out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]))
      out.append(contentsOf: repeatElement(0, count: padding))
      offset += length
    }
  }

  /// ``appendStdout(_:requestId:to:)`` for bytes in an array.
  public static func appendStdout(_ bytes: [UInt8], requestId: UInt16, to out: inout [UInt8]) {
    bytes.withUnsafeBytes { appendStdout($0, requestId: requestId, to: &out) }
  }

  /// Appends the empty `FCGI_STDOUT` record that ends the stream (§3.3, §5.3).
  public static func appendEndOfStdout(requestId: UInt16, to out: inout [UInt8]) {
    FastCGIRecordHeader(type: .stdout, requestId: requestId, contentLength: 0).encode(into: &out)
  }

  /// Appends `FCGI_END_REQUEST` (§5.5): `appStatus` (the CGI exit status, big-endian),
  /// `protocolStatus` and three reserved zero bytes.
  public static func appendEndRequest(
    requestId: UInt16, appStatus: UInt32 = 0, protocolStatus: FastCGIProtocolStatus = .requestComplete,
    to out: inout [UInt8]
  ) {
    FastCGIRecordHeader(type: .endRequest, requestId: requestId, contentLength: 8).encode(into: &out)
    out.append(UInt8(truncatingIfNeeded: appStatus >> 24))
    out.append(UInt8(truncatingIfNeeded: appStatus >> 16))
    out.append(UInt8(truncatingIfNeeded: appStatus >> 8))
    out.append(UInt8(truncatingIfNeeded: appStatus))
    out.append(protocolStatus.rawValue)
    out.append(contentsOf: [0, 0, 0])
  }

  /// Appends a whole responder answer (§6.2): `cgiResponse` (CGI headers, blank line, body)
  /// as `FCGI_STDOUT` records, the empty record that ends the stream, and
  /// `FCGI_END_REQUEST` with `FCGI_REQUEST_COMPLETE`.
  public static func appendResponse(
    _ cgiResponse: UnsafeRawBufferPointer, requestId: UInt16, appStatus: UInt32 = 0, to out: inout [UInt8]
  ) {
    out.reserveCapacity(out.count + cgiResponse.count + cgiResponse.count / maxStdoutContent * 8 + 40)
    appendStdout(cgiResponse, requestId: requestId, to: &out)
    appendEndOfStdout(requestId: requestId, to: &out)
    appendEndRequest(requestId: requestId, appStatus: appStatus, to: &out)
  }

  /// ``appendResponse(_:requestId:appStatus:to:)`` for bytes in an array.
  public static func appendResponse(
    _ cgiResponse: [UInt8], requestId: UInt16, appStatus: UInt32 = 0, to out: inout [UInt8]
  ) {
    cgiResponse.withUnsafeBytes { appendResponse($0, requestId: requestId, appStatus: appStatus, to: &out) }
  }
}
