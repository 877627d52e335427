import JSON

extension HTTPResponse {
  /// A JSON response with `Content-Type: application/json`.
  public static func json(_ status: Int, _ value: JSONValue) -> HTTPResponse {
    HTTPResponse(
      status: status, headers: [(name: "Content-Type", value: "application/json")],
      body: value.serializedBytes)
  }
}
