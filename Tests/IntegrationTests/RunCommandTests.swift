import BLSTestSupport
import Foundation
import JSON
import Testing

/// `bls-fcgi run` as the container's PID 1: fail fast on bad configuration, exit non-zero
/// when a child dies, stop cleanly and quickly on SIGTERM.
@Suite("bls-fcgi run")
struct RunCommandTests {
  static let profile = PaymentCase.environment(profile: "defaults")

  @Test("a bad variable: its one-line error, exit 1, nginx never started")
  func badConfiguration() throws {
    let directory = TestEnvironment.temporaryDirectory("badcfg")
    defer { try? FileManager.default.removeItem(at: directory) }
    var variables = Self.profile
    variables["NOSTR_SECRET_KEY"] = "abcdef123456"
    let port = TestEnvironment.freePort()
    variables["BLS_PORT"] = String(port)
    let runtime = directory.appendingPathComponent("rt").path
    let run = try ChildProcess(
      TestEnvironment.binary, ["run", "--listen-address", "127.0.0.1", "--runtime-dir", runtime],
      environment: TestEnvironment.childEnvironment(variables), logDirectory: directory, name: "run")
    #expect(run.waitForExit(seconds: 10) == 1)
    let lines = run.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(run.stderr)")
    #expect(lines.first?.hasPrefix("ERROR: NOSTR_SECRET_KEY: ") == true, "\(run.stderr)")
    #expect(!run.stderr.contains("abcdef123456"), "the bad secret is not echoed")
    #expect(!FileManager.default.fileExists(atPath: runtime), "nothing was prepared for nginx")
    #expect((try? HTTPConnection(port: port)) == nil, "nothing listens on BLS_PORT")
  }

  @Test("BLS_ACCESS_LOG other than on or off: one line naming it, exit 1, nginx never started")
  func badAccessLogSetting() throws {
    let directory = TestEnvironment.temporaryDirectory("badlog")
    defer { try? FileManager.default.removeItem(at: directory) }
    var variables = Self.profile
    variables["BLS_ACCESS_LOG"] = "false"  // once read as "on": only "off" turned it off
    variables["BLS_PORT"] = String(TestEnvironment.freePort())
    variables["DATA_DIR"] = directory.path
    let runtime = directory.appendingPathComponent("rt").path
    let run = try ChildProcess(
      TestEnvironment.binary, ["run", "--listen-address", "127.0.0.1", "--runtime-dir", runtime],
      environment: TestEnvironment.childEnvironment(variables), logDirectory: directory, name: "run")
    #expect(run.waitForExit(seconds: 10) == 1)
    #expect(run.stderr.contains("BLS_ACCESS_LOG: must be on or off, got \"false\""), "\(run.stderr)")
    #expect(!run.stderr.contains("ready: "))
  }

  @Test("the ready line names where nginx listens: an address, or every interface")
  func readyLineNamesTheListener() throws {
    for address in ["127.0.0.1", nil] {
      let directory = TestEnvironment.temporaryDirectory("readyline")
      defer { try? FileManager.default.removeItem(at: directory) }
      var variables = Self.profile
      let port = TestEnvironment.freePort()
      variables["BLS_PORT"] = String(port)
      variables["DATA_DIR"] = directory.path
      variables["BLS_ACCESS_LOG"] = "off"
      let listen = address.map { ["--listen-address", $0] } ?? []
      let run = try ChildProcess(
        TestEnvironment.binary, ["run"] + listen + ["--runtime-dir", directory.appendingPathComponent("rt").path],
        environment: TestEnvironment.childEnvironment(variables), logDirectory: directory, name: "run")
      #expect(ChildProcess.waitUntil(seconds: 20) { run.stderr.contains("ready: ") || !run.isRunning })
      let expected = address.map { "ready: http://\($0):\(port) in " } ?? "ready: port \(port) on every interface in "
      #expect(run.stderr.contains(expected), "\(run.stderr)")
      kill(run.pid, SIGTERM)
      #expect(run.waitForExit(seconds: 10) == 0, "\(run.stderr)")
    }
  }

  @Test("an unusable DATA_DIR: one line naming it, exit 1, nginx never started")
  func missingDataDirectory() throws {
    let directory = TestEnvironment.temporaryDirectory("nodata")
    defer { try? FileManager.default.removeItem(at: directory) }
    var variables = Self.profile
    let port = TestEnvironment.freePort()
    variables["BLS_PORT"] = String(port)
    variables["DATA_DIR"] = directory.appendingPathComponent("missing").path
    let run = try ChildProcess(
      TestEnvironment.binary,
      ["run", "--listen-address", "127.0.0.1", "--runtime-dir", directory.appendingPathComponent("rt").path],
      environment: TestEnvironment.childEnvironment(variables), logDirectory: directory, name: "run")
    #expect(run.waitForExit(seconds: 10) == 1)
    // Besides the advice to give the key as a file (the profile gives it by value), one line.
    let lines = run.stderr.split(separator: "\n").filter { !$0.contains("NOSTR_SECRET_KEY is given by value") }
    #expect(lines.count == 1, "\(run.stderr)")
    #expect(lines.first?.hasPrefix("ERROR: DATA_DIR: ") == true, "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("rt/nginx.pid").path))
    #expect((try? HTTPConnection(port: port)) == nil, "nginx never listened")
  }

  @Test("SIGTERM: nginx stops gracefully, the responder drains, exit 0 well inside 10 s")
  func sigterm() throws {
    let stack = try RunningStack("term", variables: Self.profile)
    let nginx = try #require(stack.childPID("nginx"))
    let responder = try #require(stack.childPID("responder"))
    #expect(try stack.connect().request("GET", "/health").status == 200)
    // nginx gets none of BLS's variables: the secret key lives only in the responder.
    let nginxEnvironment = try String(contentsOfFile: "/proc/\(nginx)/environ", encoding: .utf8)
    let responderEnvironment = try String(contentsOfFile: "/proc/\(responder)/environ", encoding: .utf8)
    #expect(!nginxEnvironment.contains("NOSTR_SECRET_KEY"))
    #expect(responderEnvironment.contains("NOSTR_SECRET_KEY="))
    let started = Date()
    stack.process.signal(SIGTERM)
    #expect(stack.process.waitForExit(seconds: 10) == 0, "\(stack.process.stderr)")
    #expect(Date().timeIntervalSince(started) < 5)
    #expect(kill(nginx, 0) != 0, "nginx is gone")
    #expect(kill(responder, 0) != 0, "the responder is gone")
    let log = stack.process.stderr
    let nginxStop = try #require(log.range(of: "stopping nginx gracefully"))
    let responderStop = try #require(log.range(of: "stopping the responder"))
    #expect(nginxStop.lowerBound < responderStop.lowerBound, "nginx stops before the responder drains")
    #expect(log.contains("database checkpointed and closed"))
    let wal = stack.dataDirectory.appendingPathComponent("events.db-wal").path
    let walSize = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
    #expect(walSize == 0, "the WAL was checkpointed into events.db")
  }

  @Test(
    "as PID 1 of its own PID namespace (a container), SIGTERM still stops it cleanly",
    .enabled(if: geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")))
  func asPID1() throws {
    let directory = TestEnvironment.temporaryDirectory("pid1")
    defer { try? FileManager.default.removeItem(at: directory) }
    var variables = Self.profile
    let port = TestEnvironment.freePort()
    variables["BLS_PORT"] = String(port)
    variables["DATA_DIR"] = directory.path
    let unshare = try ChildProcess(
      "/usr/bin/unshare",
      [
        "--pid", "--fork", "--mount-proc", TestEnvironment.binary, "run", "--listen-address", "127.0.0.1",
        "--runtime-dir", directory.appendingPathComponent("rt").path,
      ],
      environment: TestEnvironment.childEnvironment(variables), logDirectory: directory, name: "run")
    #expect(ChildProcess.waitUntil(seconds: 20) { unshare.stderr.contains("ready: ") }, "\(unshare.stderr)")
    #expect(unshare.stderr.contains("responder pid 2"), "run is PID 1 in the namespace: \(unshare.stderr)")
    #expect(try HTTPConnection(port: port).request("GET", "/health").status == 200)
    // The kernel drops a signal sent to a namespace's init whose disposition is the default
    // (and that is not blocked); run's must arrive and stop it in order.
    let children = try String(contentsOfFile: "/proc/\(unshare.pid)/task/\(unshare.pid)/children", encoding: .utf8)
    let initPID = try #require(Int32(children.split(separator: " ").first ?? ""))
    kill(initPID, SIGTERM)
    #expect(unshare.waitForExit(seconds: 10) == 0, "\(unshare.stderr)")
    #expect(unshare.stderr.contains("stopped cleanly"))
  }

  @Test("the responder dies: run stops nginx and exits non-zero", arguments: ["responder", "nginx"])
  func childDies(_ victim: String) throws {
    let stack = try RunningStack("die-\(victim)", variables: Self.profile)
    let pid = try #require(stack.childPID(victim))
    let other = try #require(stack.childPID(victim == "nginx" ? "responder" : "nginx"))
    kill(pid, SIGKILL)
    let status = stack.process.waitForExit(seconds: 10)
    #expect(status != nil && status != 0, "\(stack.process.stderr)")
    #expect(stack.process.stderr.contains("\(victim) was killed by signal 9 unexpectedly"))
    #expect(ChildProcess.waitUntil(seconds: 5) { kill(other, 0) != 0 }, "the other child was stopped too")
    #expect((try? HTTPConnection(port: stack.port)) == nil, "nothing listens any more: \(stack.process.stderr)")
  }

  @Test("nginx cannot start (port taken): run stops the responder and exits 1")
  func portTaken() throws {
    let directory = TestEnvironment.temporaryDirectory("taken")
    defer { try? FileManager.default.removeItem(at: directory) }
    let blocker = try TCPListenerForTest { _ in }
    var variables = Self.profile
    variables["BLS_PORT"] = String(blocker.port)
    variables["DATA_DIR"] = directory.path
    let run = try ChildProcess(
      TestEnvironment.binary,
      ["run", "--listen-address", "127.0.0.1", "--runtime-dir", directory.appendingPathComponent("rt").path],
      environment: TestEnvironment.childEnvironment(variables), logDirectory: directory, name: "run")
    #expect(run.waitForExit(seconds: 15) == 1, "\(run.stderr)")
    #expect(run.stderr.contains("nginx exited with status 1 while starting"), "\(run.stderr)")
    #expect(run.stderr.contains("Address already in use"), "nginx's own reason is shown")
    #expect(run.stderr.contains("database checkpointed and closed"), "the responder was stopped cleanly")
  }

  @Test("healthcheck exits 1 for a 200 whose body is not healthy, 0 for a healthy one")
  func healthcheckBody() throws {
    let directory = TestEnvironment.temporaryDirectory("hcbody")
    defer { try? FileManager.default.removeItem(at: directory) }
    for (body, expected) in [
      ("{\"status\":\"starting\"}", Int32(1)), ("<html>ok</html>", 1), ("{\"status\":\"healthy\"}", 0),
    ] {
      let server = try TCPListenerForTest { connection in
        let answer =
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        _ = answer.withCString { send(connection, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
      }
      let check = try ChildProcess(
        TestEnvironment.binary, ["healthcheck", "--port", String(server.port)],
        environment: TestEnvironment.childEnvironment([:]), logDirectory: directory, name: "hc\(expected)\(body.count)")
      #expect(check.waitForExit(seconds: 10) == expected, "\(body): \(check.stdout)")
    }
  }

  @Test("nginx/bls.conf.template is the template built into the binary, byte for byte (the build embeds it)")
  func templateInSync() throws {
    let directory = TestEnvironment.temporaryDirectory("tpl")
    defer { try? FileManager.default.removeItem(at: directory) }
    let print = try ChildProcess(
      TestEnvironment.binary, ["run", "--print-nginx-template"], environment: TestEnvironment.childEnvironment([:]),
      logDirectory: directory, name: "print")
    #expect(print.waitForExit(seconds: 10) == 0)
    let file = try String(
      contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("nginx/bls.conf.template"), encoding: .utf8)
    #expect(print.stdout == file, "the EmbedNginxTemplate build plugin (embed-text) changed the text")
  }

  @Test("the rendered configuration: port, socket, limit, paths under the runtime directory")
  func renderedConfiguration() throws {
    let directory = TestEnvironment.temporaryDirectory("render")
    defer { try? FileManager.default.removeItem(at: directory) }
    var variables = Self.profile
    variables["BLS_PORT"] = "3999"
    variables["BLS_MAX_EVENT_BYTES"] = "3000"
    let runtime = directory.appendingPathComponent("rt").path
    let render = try ChildProcess(
      TestEnvironment.binary, ["run", "--print-nginx-config", "--runtime-dir", runtime],
      environment: TestEnvironment.childEnvironment(variables), logDirectory: directory, name: "render")
    #expect(render.waitForExit(seconds: 10) == 0, "\(render.stderr)")
    let config = render.stdout
    #expect(config.contains("listen 3999;"))
    #expect(config.contains("server unix:\(runtime)/bls.sock;"))
    #expect(config.contains("client_max_body_size \((3000 + 2) / 3 * 4 + 16384);"))
    #expect(config.contains("pid \(runtime)/nginx.pid;"))
    #expect(config.contains("server_tokens off;"))
    #expect(!config.contains("{{"), "every placeholder is filled")
    for line in config.split(separator: "\n") where line.contains("_temp_path") {
      #expect(line.contains(runtime), "temp path outside the runtime directory: \(line)")
    }
    // nginx itself accepts it.
    try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true)
    let file = directory.appendingPathComponent("nginx.conf").path
    try config.write(toFile: file, atomically: true, encoding: .utf8)
    let test = try ChildProcess(
      TestEnvironment.nginx, ["-t", "-p", runtime + "/", "-c", file, "-e", "stderr"],
      environment: TestEnvironment.childEnvironment([:]), logDirectory: directory, name: "nginx-t")
    #expect(test.waitForExit(seconds: 10) == 0, "\(test.stderr)")
  }
}
