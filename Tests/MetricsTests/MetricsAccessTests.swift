import BLSApp
import JSON
import Nostr
import Testing

/// Who may read `/metrics`: loopback by default, `BLS_METRICS_ALLOW` further (issue 13).
@Suite struct MetricsAccessTests {
  @Test(arguments: ["127.0.0.1", "127.9.8.7", "::1", "::ffff:127.0.0.1"])
  func loopbackIsAllowedByDefault(address: String) throws {
    let app = BLSApplication(configuration: try MetricsFixture.configuration(), store: FullDiskStore())
    #expect(app.handle(MetricsFixture.metrics(from: address)).status == 200)
  }

  @Test(arguments: ["203.0.113.9", "10.1.2.3", "2001:db8::1", "::ffff:203.0.113.9", "not-an-address", ""])
  func othersGet403InTheRejectShape(address: String) throws {
    let app = BLSApplication(configuration: try MetricsFixture.configuration(), store: FullDiskStore())
    let response = app.handle(MetricsFixture.metrics(from: address))
    #expect(response.status == 403)
    let json = try JSONValue.parse(response.body)
    #expect(json.objectValue?["accept"] == .bool(false))
    #expect(json.objectValue?["code"]?.stringValue == "F00")
  }

  @Test func aRequestWithoutAnAddressIsRefused() throws {
    let app = BLSApplication(configuration: try MetricsFixture.configuration(), store: FullDiskStore())
    #expect(app.handle(MetricsFixture.metrics(from: nil)).status == 403)
  }

  @Test func theAllowListOpensItFurther() throws {
    let configuration = try MetricsFixture.configuration([
      "BLS_METRICS_ALLOW": "203.0.113.0/24, 2001:db8::/32,192.0.2.7"
    ])
    let app = BLSApplication(configuration: configuration, store: FullDiskStore())
    for address in ["203.0.113.9", "2001:db8::1", "192.0.2.7", "127.0.0.1", "::ffff:203.0.113.200"] {
      #expect(app.handle(MetricsFixture.metrics(from: address)).status == 200, "\(address)")
    }
    for address in ["203.0.114.1", "192.0.2.8", "2001:db9::1"] {
      #expect(app.handle(MetricsFixture.metrics(from: address)).status == 403, "\(address)")
    }
  }

  @Test(arguments: ["10.0.0.0/33", "10.0.0.1/", "300.1.1.1", "fd00::/129", "example.com", ",", "10.0.0.0/8/8"])
  func anInvalidAllowListIsAConfigurationError(value: String) {
    #expect(throws: ConfigurationError.self) {
      try MetricsFixture.configuration(["BLS_METRICS_ALLOW": value])
    }
  }

  @Test func theErrorNamesTheVariableAndTheEntry() {
    do throws(ConfigurationError) {
      _ = try MetricsFixture.configuration(["BLS_METRICS_ALLOW": "127.0.0.1, 10.0.0.0/40"])
      Issue.record("accepted an invalid list")
    } catch {
      #expect(error.variable == "BLS_METRICS_ALLOW")
      #expect(error.description.contains("\"10.0.0.0/40\""))
      #expect(!error.description.contains("\n"))
    }
  }

  @Test func theBearerTokenIsNotNeededForMetrics() throws {
    let configuration = try MetricsFixture.configuration(["BLS_AUTH_TOKEN": "a-token-of-sixteen-chars"])
    let app = BLSApplication(configuration: configuration, store: FullDiskStore())
    #expect(app.handle(MetricsFixture.metrics()).status == 200)
    #expect(app.handle(MetricsFixture.metrics(from: "203.0.113.9")).status == 403)
  }

  @Test func postIsNotAllowed() throws {
    let app = BLSApplication(configuration: try MetricsFixture.configuration(), store: FullDiskStore())
    let response = app.handle(HTTPRequest(method: "POST", path: "/metrics", remoteAddress: "127.0.0.1"))
    #expect(response.status == 405)
  }
}
