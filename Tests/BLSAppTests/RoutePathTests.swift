import BLSApp
import JSON
import Nostr
import Testing

/// Issue 12 item 2 (the responder's part): paths as clients write them. A connector whose
/// `LOCAL_DELIVERY_URL` ends in `/` posts `//handle-packet` and GETs `//health`; shared hosts
/// pass such URIs through unchanged.
@Suite("Paths as clients write them")
struct RoutePathTests {
  @Test(
    "repeated slashes are merged before routing",
    arguments: ["//handle-packet", "///handle-packet", "/handle-packet?x=1", "//handle-packet?a=//b"])
  func packetPaths(_ path: String) throws {
    let store = RecordingStore()
    let toon = Fixture.toon(try Fixture.event())
    let response = try Fixture.app(store: store).handle(
      Fixture.post(path, Fixture.packetBody(toon, amount: "99999999")))
    #expect(response.status == 200)
    #expect(response.json["accept"] == true)
    #expect(store.received.value.count == 1)
  }

  @Test func paymentPath() throws {
    let store = RecordingStore()
    let toon = Fixture.toon(try Fixture.event())
    let response = try Fixture.app(store: store).handle(
      Fixture.post("//handle-payment", Fixture.paymentBody(toon, amount: "99999999")))
    #expect(response.json["accept"] == true)
    #expect(store.received.value.count == 1)
  }

  @Test(
    "GET endpoints with extra slashes or a query",
    arguments: ["//health", "///health", "/health?probe=1", "//pricing", "///pricing", "/pricing?"])
  func getPaths(_ path: String) throws {
    let response = try Fixture.app().handle(HTTPRequest(method: "GET", path: path))
    #expect(response.status == 200)
  }

  @Test(
    "case, trailing slashes and extra segments still matter",
    arguments: ["//health//", "/health/", "//HEALTH", "//pricing/x", "/handle-packet/"])
  func stillUnknown(_ path: String) throws {
    let response = try Fixture.app().handle(HTTPRequest(method: "GET", path: path))
    #expect(response.status == 404)
    #expect(response.json["message"]?.stringValue?.contains(path) == true)
  }

  @Test func methodsAreCheckedOnTheMergedPath() throws {
    let response = try Fixture.app().handle(HTTPRequest(method: "POST", path: "//health"))
    #expect(response.status == 405)
    #expect(response.headers.contains { $0.name == "Allow" && $0.value == "GET, HEAD" })
  }
}
