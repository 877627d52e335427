import BLSTestSupport
import JSON

extension PaymentCase {
  /// Sends the case on `connection` and returns the mismatches against every expectation
  /// (an empty list is a match).
  func run(on connection: HTTPConnection) throws -> (answer: HTTPAnswer, problems: [[String]]) {
    let answer = try connection.request(method, path, headers: headers, body: body)
    return (answer, expectations.map { Self.mismatches(status: answer.status, body: answer.body, $0) })
  }
}
