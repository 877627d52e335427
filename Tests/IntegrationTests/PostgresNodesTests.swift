import BLSTestSupport
import Foundation
import Glibc
import Nostr
import Synchronization
import TOON
import Testing
import Threads

/// Two BLS nodes (each `bls-fcgi run`: nginx and a responder) on one PostgreSQL, driven as the
/// connector drives them (issue 15).
@Suite(
  "two nodes on one PostgreSQL over HTTP", .serialized,
  .enabled(
    if: PostgresCluster.binariesPresent, Comment(rawValue: PostgresCluster.unavailableReason)))
struct PostgresNodesTests {
  @Test(
    "payments to both nodes while one's responder is killed -9: every fulfilled event is stored exactly once, the other node keeps serving"
  )
  func killOneNodeUnderLoad() throws {
    let cluster = try #require(PostgresCluster.shared)
    let url = cluster.createDatabase()
    let database = String(url.split(separator: "/").last!)
    var variables = PaymentCase.environment(profile: "defaults")
    variables["DATABASE_URL"] = url
    let nodes = [
      try RunningStack("pg-node-1", variables: variables), try RunningStack("pg-node-2", variables: variables),
    ]
    let victim = try #require(nodes[0].childPID("responder"))

    let fulfilled = Mutex<[String]>([])
    let sent = Mutex(0)
    let stop = Mutex(false)
    // Four senders, two per node, each delivering one signed event after another.
    let senders = try (0..<4).map { index in
      try PosixThread {
        let connector = ConnectorDouble(handlerURL: "http://127.0.0.1:\(nodes[index % 2].port)")
        while !stop.withLock({ $0 }) {
          let event = NostrEvent.signed(
            secretKey: .generate(), createdAt: Int64(Date().timeIntervalSince1970), kind: 1,
            content: "node load \(UUID().uuidString)")
          let toon = TOONEncoder().encodeBytes(event.jsonValue)
          sent.withLock { $0 += 1 }
          if case .fulfill = connector.deliver(.init(amount: String(toon.count * 10), data: toon)) {
            fulfilled.withLock { $0.append(event.id) }
          }
        }
      }
    }
    func waitFor(_ condition: () -> Bool) -> Bool {
      for _ in 0..<4000 where !condition() { usleep(5000) }
      return condition()
    }
    #expect(waitFor { fulfilled.withLock { $0.count } >= 40 })
    kill(victim, SIGKILL)
    let atKill = fulfilled.withLock { $0.count }
    #expect(waitFor { fulfilled.withLock { $0.count } >= atKill + 40 }, "the other node stopped serving")
    stop.withLock { $0 = true }
    for sender in senders { sender.join() }

    let ids = fulfilled.withLock { $0 }
    let rows = cluster.psql(database, "SELECT id FROM events")
    #expect(Set(rows).count == rows.count, "an event is stored twice")
    let missing = Set(ids).subtracting(Set(rows))
    #expect(missing.isEmpty, "\(missing.count) fulfilled events are not in PostgreSQL")
    #expect(sent.withLock { $0 } >= ids.count)
  }
}
