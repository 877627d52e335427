import BLSApp
import JSON

/// The whole payment decision on arbitrary bodies: `BLSApplication.handle` over an in-memory
/// store. The input's first byte chooses the endpoint — even: `POST /handle-payment`, odd:
/// `POST /handle-packet` — and the rest is the body. Every answer must be a JSON object with a
/// boolean `accept`; `/handle-packet` always answers 200; an accepted payment is a 200 — never
/// a crash or a hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let input = UnsafeBufferPointer(start: data, count: size)
  guard let selector = input.first else { return 0 }
  let path = selector & 1 == 0 ? "/handle-payment" : "/handle-packet"
  let request = HTTPRequest(
    method: "POST", path: path, headers: ["Content-Type": "application/json"], body: Array(input.dropFirst()))
  let response = FuzzApplication.shared.handle(request)
  guard let answer = try? JSONValue.parse(response.body), let accept = answer["accept"],
    case .bool(let accepted) = accept
  else {
    fatalError(
      "\(path) answered \(response.status) without a JSON accept: \(String(decoding: response.body, as: UTF8.self))")
  }
  if path == "/handle-packet" { precondition(response.status == 200, "/handle-packet answered \(response.status)") }
  if accepted { precondition(response.status == 200, "\(path) accepted with status \(response.status)") }
  return 0
}
