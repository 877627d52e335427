import BLSTestSupport
import Foundation
import JSON
import Testing

/// `vectors/payment-cases.json` over real HTTP (nginx → bls-fcgi) with `DATABASE_URL`: the
/// same answers as with SQLite, accepted events in PostgreSQL, `/health` naming the database.
@Suite(
  "payment-cases.json over HTTP with DATABASE_URL", .serialized,
  .enabled(
    if: PostgresCluster.binariesPresent, Comment(rawValue: PostgresCluster.unavailableReason)))
struct ContractOverPostgresTests {
  @Test("every case of the profile answers as expected", arguments: PaymentCase.profiles)
  func profile(_ profile: String) throws {
    let cluster = try #require(PostgresCluster.shared)
    let url = cluster.createDatabase()
    let database = String(url.split(separator: "/").last!)
    var variables = PaymentCase.environment(profile: profile)
    variables["DATABASE_URL"] = url
    let stack = try RunningStack("contract-pg-\(profile)", variables: variables)
    #expect(stack.process.stderr.contains("DATA_DIR is not used"))
    var connection = try stack.connect()
    var accepted = Set<String>()
    for testCase in PaymentCase.cases(profile: profile) {
      if connection.isClosed { connection = try stack.connect() }
      let (answer, problems) = try testCase.run(on: connection)
      #expect(
        problems.contains { $0.isEmpty },
        "\(testCase.id): \(problems.map { $0.joined(separator: "; ") }.joined(separator: " | ")) — \(answer.status) \(answer.text)"
      )
      if answer.status == 200, let stored = testCase.json["stores_event"]?.stringValue { accepted.insert(stored) }
    }
    let stored = Set(cluster.psql(database, "SELECT id FROM events"))
    #expect(!accepted.isEmpty || profile != "main")
    // Every accepted event is in PostgreSQL, unless a newer one may have replaced it (NIP-01).
    for id in accepted.sorted() where !Self.mayBeReplaced(id, in: PaymentCase.cases(profile: profile)) {
      #expect(stored.contains(id), "event \(id) was accepted but is not in PostgreSQL")
    }
    let health = try connection.isClosed ? stack.connect() : connection
    let answer = try health.request("GET", "/health")
    #expect(answer.status == 200)
    #expect(
      answer.text.contains("\"storage\":\"postgresql://127.0.0.1:\(cluster.port)/\(database)\""), "\(answer.text)")
  }

  /// Whether the case storing `id` is for a replaceable or addressable kind (its TOON's
  /// `kind:` line).
  static func mayBeReplaced(_ id: String, in cases: [PaymentCase]) -> Bool {
    guard let testCase = cases.first(where: { $0.json["stores_event"]?.stringValue == id }),
      let data = testCase.json["request"]?["json"]?["data"]?.stringValue,
      let toon = Data(base64Encoded: data).map({ String(decoding: $0, as: UTF8.self) }),
      let kindLine = toon.split(separator: "\n").first(where: { $0.hasPrefix("kind: ") }),
      let kind = Int(kindLine.dropFirst(6))
    else { return true }
    return kind == 0 || kind == 3 || (10000..<20000).contains(kind) || (30000..<40000).contains(kind)
  }
}
