import BLSApp
import JSON
import Nostr
import Testing

/// Issue 12 item 7: with `BLS_AUTH_TOKEN` set, only a caller presenting
/// `Authorization: Bearer <token>` may pay; /health and /pricing stay open.
@Suite("BLS_AUTH_TOKEN")
struct AuthTests {
  static let token = "Zx9-connector.token_0123456789+/="

  func payment(_ path: String, _ authorization: String?) throws -> HTTPRequest {
    let toon = Fixture.toon(try Fixture.event())
    let body =
      path == "/handle-packet"
      ? Fixture.packetBody(toon, amount: "99999999") : Fixture.paymentBody(toon, amount: "99999999")
    return Fixture.post(path, body, headers: authorization.map { ["Authorization": $0] } ?? [:])
  }

  @Test(
    "a payment without the right token is 401 and reaches no store",
    arguments: ["/handle-payment", "/handle-packet", "//handle-packet"],
    [
      nil, "Bearer", "Bearer ", "Basic \(token)", "Bearer \(token.dropLast())", "Bearer \(token)x",
      "Bearer \(token.dropLast())>", "Bearer \(token.uppercased())", "Bearer\(token)", "\(token)",
    ])
  func refused(_ path: String, _ authorization: String?) throws {
    let store = RecordingStore()
    let app = try Fixture.app(["BLS_AUTH_TOKEN": Self.token], store: store)
    let request = try payment(path, authorization)
    for response in [app.handle(request), deferredAnswer(app, request).response] {
      #expect(response?.status == 401)
      #expect(response?.json["accept"] == false)
      #expect(response?.json["code"] == "F00")
      let challenge = response?.headers.first { $0.name == "WWW-Authenticate" }?.value
      #expect(challenge == (authorization == nil ? "Bearer" : #"Bearer error="invalid_token""#))
      let text = String(decoding: response?.body ?? [], as: UTF8.self)
      #expect(!text.contains(Self.token) && !text.contains(String(Self.token.dropLast())))
    }
    #expect(store.received.value.isEmpty)
  }

  @Test(
    "the right token is accepted, the scheme in any case, spaces around it ignored",
    arguments: ["/handle-payment", "/handle-packet"],
    ["Bearer \(token)", "bearer \(token)", "BEARER   \(token)  "])
  func accepted(_ path: String, _ authorization: String) throws {
    let store = RecordingStore()
    let app = try Fixture.app(["BLS_AUTH_TOKEN": Self.token], store: store)
    let request = try payment(path, authorization)
    #expect(app.handle(request).json["accept"] == true)
    #expect(deferredAnswer(app, request).response?.json["accept"] == true)
    #expect(store.received.value.count == 2)
  }

  @Test("health and pricing stay open", arguments: ["/health", "/pricing", "//health"])
  func openEndpoints(_ path: String) throws {
    let app = try Fixture.app(["BLS_AUTH_TOKEN": Self.token])
    #expect(app.handle(HTTPRequest(method: "GET", path: path)).status == 200)
  }

  @Test func withoutATokenNoHeaderIsNeeded() throws {
    let store = RecordingStore()
    #expect(try Fixture.app(store: store).handle(try payment("/handle-packet", nil)).json["accept"] == true)
    #expect(store.received.value.count == 1)
  }
}
