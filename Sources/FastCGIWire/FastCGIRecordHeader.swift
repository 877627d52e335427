/// The eight bytes that start every FastCGI record (FastCGI spec §3.3):
/// `version`, `type`, `requestIdB1`, `requestIdB0`, `contentLengthB1`, `contentLengthB0`,
/// `paddingLength`, `reserved`.
public struct FastCGIRecordHeader: Hashable, Sendable {
  /// `version`; ``parse(_:)`` accepts only ``FastCGI/version`` (1).
  public var version: UInt8
  /// `type`.
  public var type: FastCGIRecordType
  /// `requestId`; 0 (``FastCGI/nullRequestId``) marks a management record (§4).
  public var requestId: UInt16
  /// `contentLength`: bytes of content that follow the header, 0…65535.
  public var contentLength: Int
  /// `paddingLength`: bytes after the content that the receiver ignores, 0…255.
  public var paddingLength: Int

  /// A version-1 header. `contentLength` must be at most 65535 and `paddingLength` at most
  /// 255; both are checked with a precondition because they come from this program, never
  /// from a peer.
  public init(type: FastCGIRecordType, requestId: UInt16, contentLength: Int, paddingLength: Int = 0) {
    precondition((0...FastCGI.maxContentLength).contains(contentLength), "contentLength out of range")
    precondition((0...255).contains(paddingLength), "paddingLength out of range")
    self.version = FastCGI.version
    self.type = type
    self.requestId = requestId
    self.contentLength = contentLength
    self.paddingLength = paddingLength
  }

  /// Reads a header from the first eight bytes of `bytes` (§3.3). The `reserved` byte is
  /// ignored, as the specification asks.
  ///
  /// - Throws: ``FastCGIProtocolError/badVersion(_:)`` when `version` is not 1;
  ///   ``FastCGIProtocolError/truncatedHeader`` when fewer than eight bytes are given.
  public static func parse(_ bytes: UnsafeRawBufferPointer) throws(FastCGIProtocolError) -> FastCGIRecordHeader {
    guard bytes.count >= FastCGI.headerLength else { throw .truncatedHeader }
    guard bytes[0] == FastCGI.version else { throw .badVersion(bytes[0]) }
    return FastCGIRecordHeader(
      type: FastCGIRecordType(rawValue: bytes[1]),
      requestId: UInt16(bytes[2]) << 8 | UInt16(bytes[3]),
      contentLength: Int(bytes[4]) << 8 | Int(bytes[5]),
      paddingLength: Int(bytes[6]))
  }

  /// Appends the eight header bytes to `out`; `reserved` is written as 0.
  public func encode(into out: inout [UInt8]) {
    out.append(version)
    out.append(type.rawValue)
    out.append(UInt8(truncatingIfNeeded: requestId >> 8))
    out.append(UInt8(truncatingIfNeeded: requestId))
    out.append(UInt8(truncatingIfNeeded: contentLength >> 8))
    out.append(UInt8(truncatingIfNeeded: contentLength))
    out.append(UInt8(truncatingIfNeeded: paddingLength))
    out.append(0)
  }

  /// The padding that brings `contentLength` to a multiple of eight, as §3.3 recommends.
  public static func alignedPadding(for contentLength: Int) -> Int {
    (8 - contentLength % 8) % 8
  }
}
