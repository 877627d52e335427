import BLSTestSupport
import Foundation
import JSON
import Testing
import Threads

/// Many connections at once through nginx, and a stop in the middle of them.
@Suite("under load", .serialized)
struct LoadTests {
  /// Starts `body(threadIndex)` on `count` threads at once; the group is left by each.
  private static func startThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) -> DispatchGroup {
    let group = DispatchGroup()
    for index in 0..<count {
      group.enter()
      Thread {
        body(index)
        group.leave()
      }.start()
    }
    return group
  }

  /// Runs `body` on `count` threads; whether all finished within `seconds`.
  private static func onThreads(_ count: Int, seconds: Double, _ body: @escaping @Sendable (Int) -> Void) -> Bool {
    startThreads(count, body).wait(timeout: .now() + seconds) == .success
  }

  @Test("200 concurrent requests from 16 connections are all answered correctly")
  func concurrentRequests() throws {
    let stack = try RunningStack("load", variables: PaymentCase.environment(profile: "main"), workers: 4)
    let cases = PaymentCase.cases(profile: "main").filter { $0.json["expect"]?.objectValue != nil }
    let failures = Locked<[String]>([])
    let answered = Locked(0)
    let finished = Self.onThreads(16, seconds: 60) { connectionIndex in
      do {
        var connection = try stack.connect()
        for requestIndex in stride(from: connectionIndex, to: 200, by: 16) {
          if connection.isClosed { connection = try stack.connect() }
          if requestIndex % 5 == 0 {
            let answer = try connection.request("GET", "/health")
            if answer.status != 200 || answer.json?["status"] != "healthy" {
              failures.withLock { $0.append("health: \(answer.status) \(answer.text)") }
            }
          } else {
            let testCase = cases[requestIndex % cases.count]
            let (answer, problems) = try testCase.run(on: connection)
            if !problems.contains(where: \.isEmpty) {
              failures.withLock { $0.append("\(testCase.id): \(problems) — \(answer.text)") }
            }
          }
          answered.withLock { $0 += 1 }
        }
      } catch {
        failures.withLock { $0.append("connection \(connectionIndex): \(error)") }
      }
    }
    #expect(finished, "every connection finished within 60 s")
    #expect(answered.value == 200)
    #expect(failures.value.isEmpty, "\(failures.value.prefix(5))")
    #expect(stack.process.isRunning)
  }

  @Test("SIGTERM during load loses no acknowledged event and exits 0 within 10 s")
  func sigtermUnderLoad() throws {
    let profile = PaymentCase.environment(profile: "defaults")
    let bodies = try Self.freshPayloads(count: 600, secretKey: profile["NOSTR_SECRET_KEY"]!)
    let stack = try RunningStack("termload", variables: profile, workers: 2)
    let acknowledged = Locked<[String]>([])
    let unexpected = Locked<[String]>([])
    let signalled = Locked(false)
    let threads = Self.startThreads(8) { index in
      guard var connection = try? stack.connect() else { return }
      for body in stride(from: index, to: bodies.count, by: 8).map({ bodies[$0] }) {
        do {
          if connection.isClosed { connection = try stack.connect() }
          let answer = try connection.request(
            "POST", "/handle-payment", headers: [("Content-Type", "application/json")], body: body)
          if answer.status == 200, answer.json?["accept"] == true,
            let id = answer.json?["metadata"]?["eventId"]?.stringValue
          {
            acknowledged.withLock { $0.append(id) }
          } else {
            unexpected.withLock { $0.append("\(answer.status) \(answer.text)") }
          }
        } catch {
          // Refused or closed once nginx stops accepting: that request was never acknowledged.
          if !signalled.value { unexpected.withLock { $0.append("before SIGTERM: \(error)") } }
          return
        }
      }
    }
    #expect(ChildProcess.waitUntil(seconds: 20) { acknowledged.value.count >= 40 }, "load is flowing")
    signalled.withLock { $0 = true }
    let stopped = Date()
    stack.process.signal(SIGTERM)
    let status = stack.process.waitForExit(seconds: 10)
    let elapsed = Date().timeIntervalSince(stopped)
    #expect(status == 0, "\(stack.process.stderr)")
    #expect(elapsed < 10)
    #expect(threads.wait(timeout: .now() + 20) == .success, "every client thread ended")
    #expect(unexpected.value.isEmpty, "\(unexpected.value.prefix(5))")
    let acked = Set(acknowledged.value)
    let stored = try stack.storedEventIDs()
    let lost = acked.subtracting(stored)
    #expect(lost.isEmpty, "\(lost.count) acknowledged events missing from events.db")
    #expect(acked.count < bodies.count, "the stop happened mid-load (\(acked.count) of \(bodies.count) acknowledged)")
    let wal = stack.dataDirectory.appendingPathComponent("events.db-wal").path
    let walSize = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
    #expect(walSize == 0, "the WAL was checkpointed")
  }

  /// `count` distinct signed payment bodies for the defaults profile, from `bls-fcgi payload`.
  static func freshPayloads(count: Int, secretKey: String) throws -> [[UInt8]] {
    let directory = TestEnvironment.temporaryDirectory("payloads")
    defer { try? FileManager.default.removeItem(at: directory) }
    let payload = try ChildProcess(
      TestEnvironment.binary,
      [
        "payload", "--secret-key", secretKey, "--count", String(count), "--price-per-byte", "10", "--content",
        "load test",
      ],
      environment: TestEnvironment.childEnvironment([:]), logDirectory: directory, name: "payload")
    guard payload.waitForExit(seconds: 60) == 0 else { throw HTTPClientError(description: payload.stderr) }
    return payload.stdout.split(separator: "\n").map { Array($0.utf8) }
  }
}
