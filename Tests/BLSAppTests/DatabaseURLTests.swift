import BLSApp
import Testing

@Suite("DATABASE_URL: PostgreSQL instead of DATA_DIR")
struct DatabaseURLTests {
  static let required = [
    "NODE_ID": "node-a", "NOSTR_SECRET_KEY": "16b6c6f760f4a342c29f413fa99d658126ef5bd17362aff1eba1eb4af20627bf",
    "ILP_ADDRESS": "g.example.bls",
  ]

  func load(_ extra: [String: String], files: [String: String] = [:]) throws(ConfigurationError) -> BLSConfiguration {
    let env = Environment(Self.required.merging(extra) { $1 }) { (path: String) throws(FileReadError) -> String in
      guard let text = files[path] else { throw FileReadError(reason: "No such file or directory") }
      return text
    }
    return try BLSConfiguration.fromEnvironment(env)
  }

  @Test(
    "a postgres:// or postgresql:// URI selects PostgreSQL, and wins over DATA_DIR",
    arguments: [
      "postgres://bls:pw@db:5432/bls", "postgresql://db/bls?sslmode=require",
    ])
  func selects(url: String) throws {
    #expect(try load(["DATABASE_URL": url]).storage == .postgres(url))
    #expect(try load(["DATABASE_URL": url, "DATA_DIR": "/srv"]).storage == .postgres(url))
  }

  @Test("DATABASE_URL_FILE is read like every VAR_FILE")
  func fromFile() throws {
    let url = "postgresql://bls:pw@db:5432/bls"
    let configuration = try load(["DATABASE_URL_FILE": "/run/secrets/db"], files: ["/run/secrets/db": url])
    #expect(configuration.storage == .postgres(url))
  }

  @Test("another scheme is refused, naming the variable and never echoing the value")
  func wrongScheme() {
    for url in ["mysql://u:secretpw@h/db", "host=db password=secretpw", "http://secretpw@x"] {
      do {
        _ = try load(["DATABASE_URL": url])
        Issue.record("accepted \(url)")
      } catch {
        #expect(error.description.hasPrefix("ERROR: DATABASE_URL: "))
        #expect(!error.description.contains("secretpw"))
      }
    }
  }

  @Test("the storage line of the log has no user, password or parameters")
  func redacted() throws {
    let cases = [
      (
        "postgresql://bls:s3cret@db.example:5432/events?sslmode=require&password=x",
        "postgresql://db.example:5432/events"
      ),
      ("postgres://db/bls", "postgresql://db/bls"),
      ("postgresql://u:p%40ss@[::1]:6543/d", "postgresql://[::1]:6543/d"),
    ]
    for (url, shown) in cases {
      let configuration = try load(["DATABASE_URL": url])
      #expect(configuration.storage.description == shown)
      #expect(!configuration.summary.contains("s3cret") && !configuration.summary.contains("p%40ss"))
    }
  }
}
