/// Answers to management records (FastCGI spec §4) and request refusals (§5.5).
enum FastCGIManagement {
  /// The variables a `FCGI_GET_VALUES` may ask about (§4.1), in reply order of first mention.
  enum Variable: CaseIterable {
    case maxConns, maxReqs, mpxsConns

    init?(name: UnsafeRawBufferPointer) {
      guard let match = Variable.allCases.first(where: { name.elementsEqual($0.name) }) else { return nil }
      self = match
    }

    var name: [UInt8] {
      switch self {
      case .maxConns: FastCGI.maxConnsName
      case .maxReqs: FastCGI.maxReqsName
      case .mpxsConns: FastCGI.mpxsConnsName
      }
    }

    func value(_ limits: FastCGILimits) -> [UInt8] {
      switch self {
      case .maxConns: Array(String(limits.maxConnections).utf8)
      case .maxReqs: Array(String(limits.maxRequests).utf8)
      case .mpxsConns: [UInt8(ascii: "0")]
      }
    }
  }

  /// Appends `FCGI_GET_VALUES_RESULT` for `query`, the content of a `FCGI_GET_VALUES` record
  /// (§4.1): each variable we know at most once, however often it is named, in the order of
  /// first mention; unknown names are left out; values in the query are ignored. The reply
  /// holds at most three short pairs whatever the query.
  ///
  /// - Throws: ``FastCGIProtocolError/getValuesMalformed(_:)`` when `query` is not whole pairs.
  static func appendGetValuesResult(
    query: UnsafeRawBufferPointer, limits: FastCGILimits, to out: inout [UInt8]
  ) throws(FastCGIProtocolError) {
    var asked: [Variable] = []
    do {
      try FastCGINameValuePairs.forEach(in: query) { name, _ in
        let bytes = UnsafeRawBufferPointer(rebasing: query[name])
        if let variable = Variable(name: bytes), !asked.contains(variable) { asked.append(variable) }
      }
    } catch {
      throw .getValuesMalformed(error)
    }
    var content: [UInt8] = []
    for variable in asked {
      FastCGINameValuePairs.append(name: variable.name, value: variable.value(limits), to: &content)
    }
    let padding = FastCGIRecordHeader.alignedPadding(for: content.count)
    FastCGIRecordHeader(
      type: .getValuesResult, requestId: FastCGI.nullRequestId, contentLength: content.count,
      paddingLength: padding
    ).encode(into: &out)
    out.append(contentsOf: content)
    out.append(contentsOf: repeatElement(0, count: padding))
  }

  /// Appends `FCGI_UNKNOWN_TYPE` naming `type` (§4.2): the type byte and seven reserved zeros.
  static func appendUnknownType(_ type: FastCGIRecordType, to out: inout [UInt8]) {
    FastCGIRecordHeader(type: .unknownType, requestId: FastCGI.nullRequestId, contentLength: 8)
      .encode(into: &out)
    out.append(type.rawValue)
    out.append(contentsOf: repeatElement(0, count: 7))
  }
}
