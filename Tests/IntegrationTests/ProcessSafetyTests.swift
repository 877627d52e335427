import BLSTestSupport
import Foundation
import Testing

/// The process around the responder (issue 11, F8, F10, F11, F13): a private runtime
/// directory, nginx's workers never root, secrets gone from the environment, no core dumps,
/// a crash that ends the stack at once.
@Suite("a safe process: runtime directory, privileges, secrets, crashes", .serialized)
struct ProcessSafetyTests {
  static let profile = PaymentCase.environment(profile: "defaults")

  /// Starts `run` with `arguments`, waiting for "ready" (or its exit).
  static func run(
    _ label: String, _ arguments: [String] = [], variables extra: [String: String] = [:]
  ) throws -> (ChildProcess, URL, Int) {
    let directory = TestEnvironment.temporaryDirectory(label)
    var variables = profile.merging(extra) { _, new in new }
    let port = TestEnvironment.freePort()
    variables["BLS_PORT"] = String(port)
    variables["DATA_DIR"] = directory.path
    variables["BLS_ACCESS_LOG"] = "off"
    let run = try ChildProcess(
      TestEnvironment.binary, ["run", "--listen-address", "127.0.0.1", "--workers", "2"] + arguments,
      environment: TestEnvironment.childEnvironment(variables), logDirectory: directory, name: "run")
    _ = ChildProcess.waitUntil(seconds: 20) { run.stderr.contains("ready: ") || !run.isRunning }
    return (run, directory, port)
  }

  static func pid(_ name: String, in log: String) -> Int32? {
    guard let line = log.split(separator: "\n").first(where: { $0.contains("ready: ") }),
      let range = line.range(of: "\(name) pid ")
    else { return nil }
    return Int32(line[range.upperBound...].prefix { $0.isNumber })
  }

  /// The responder's `--socket` argument, from its command line.
  static func socketPath(ofResponder pid: Int32) -> String? {
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
    let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    guard let index = arguments.firstIndex(of: "--socket"), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
  }

  static func mode(_ path: String) -> (mode: Int, uid: Int, gid: Int)? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return (Int(info.st_mode & 0o7777), Int(info.st_uid), Int(info.st_gid))
  }

  @Test("F8: by default a fresh private runtime directory (0700), removed after a stop")
  func freshRuntimeDirectory() throws {
    let (run, directory, _) = try Self.run("safe-fresh")
    defer {
      run.kill()
      try? FileManager.default.removeItem(at: directory)
    }
    let responder = try #require(Self.pid("responder", in: run.stderr), "\(run.stderr)")
    let socket = try #require(Self.socketPath(ofResponder: responder))
    let runtime = (socket as NSString).deletingLastPathComponent
    #expect(runtime.hasPrefix("/tmp/bls-") && runtime != "/tmp/bls", "\(runtime)")
    let expected = geteuid() == 0 ? 0o710 : 0o700
    #expect(Self.mode(runtime)?.mode == expected, "runtime directory mode")
    #expect(Self.mode(runtime)?.uid == Int(geteuid()))
    #expect(Self.mode(runtime + "/nginx.conf")?.mode == 0o600)
    run.signal(SIGTERM)
    #expect(run.waitForExit(seconds: 10) == 0, "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: runtime), "the private directory is removed")
  }

  @Test("F8: a given runtime directory that others could write, or a symlink, is refused")
  func unsafeRuntimeDirectory() throws {
    let directory = TestEnvironment.temporaryDirectory("safe-refuse")
    defer { try? FileManager.default.removeItem(at: directory) }
    let open = directory.appendingPathComponent("open").path
    try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: false)
    chmod(open, 0o777)
    let link = directory.appendingPathComponent("link").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: open)
    var cases = [(open, "writable by group or others"), (link, "symbolic link")]
    if geteuid() == 0, getpwnam("nobody") != nil {
      // Inside a private (0700) parent, nginx's workers (nobody) could never reach the socket.
      let parent = directory.appendingPathComponent("private").path
      try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: false)
      chmod(parent, 0o700)
      cases.append((parent + "/rt", "cannot pass through"))
    }
    if geteuid() == 0, let nobody = getpwnam("nobody") {
      let theirs = directory.appendingPathComponent("theirs").path
      try FileManager.default.createDirectory(atPath: theirs, withIntermediateDirectories: false)
      chmod(theirs, 0o700)
      chown(theirs, nobody.pointee.pw_uid, nobody.pointee.pw_gid)
      cases.append((theirs, "owned by uid"))
    }
    for (path, reason) in cases {
      let (run, logs, port) = try Self.run("safe-refused", variables: ["BLS_RUNTIME_DIR": path])
      defer { try? FileManager.default.removeItem(at: logs) }
      #expect(run.waitForExit(seconds: 10) == 1, "\(path): \(run.stderr)")
      let errors = run.stderr.split(separator: "\n").filter { $0.hasPrefix("ERROR: ") }
      #expect(errors.count == 1 && errors[0].contains("BLS_RUNTIME_DIR") && errors[0].contains(reason), "\(run.stderr)")
      #expect((try? HTTPConnection(port: port)) == nil)
      #expect(!FileManager.default.fileExists(atPath: path + "/nginx.conf"), "nothing written into \(path)")
    }
  }

  @Test(
    "F8: started as root, nginx's workers run as nobody and only their group may use the socket",
    .enabled(if: geteuid() == 0 && getpwnam("nobody") != nil, "needs root"))
  func nginxWorkersUnprivileged() throws {
    let (run, directory, port) = try Self.run("safe-root")
    defer {
      run.kill()
      try? FileManager.default.removeItem(at: directory)
    }
    #expect(try HTTPConnection(port: port).request("GET", "/health").status == 200, "\(run.stderr)")
    let nginx = try #require(Self.pid("nginx", in: run.stderr))
    let nobody = try #require(getpwnam("nobody")).pointee
    let children = (try? String(contentsOfFile: "/proc/\(nginx)/task/\(nginx)/children", encoding: .utf8)) ?? ""
    let workers = children.split(separator: " ").compactMap { Int32($0) }
    #expect(!workers.isEmpty)
    for worker in workers {
      let status = (try? String(contentsOfFile: "/proc/\(worker)/status", encoding: .utf8)) ?? ""
      let uid = status.split(separator: "\n").first { $0.hasPrefix("Uid:") }?.split(separator: "\t").dropFirst().first
      #expect(uid.map(String.init) == String(nobody.pw_uid), "nginx worker \(worker) runs as uid \(uid ?? "?")")
    }
    let responder = try #require(Self.pid("responder", in: run.stderr))
    let socket = try #require(Self.socketPath(ofResponder: responder))
    #expect(Self.mode(socket)?.mode == 0o660)
    #expect(Self.mode(socket)?.gid == Int(nobody.pw_gid))
  }

  @Test("F10: the secret key is gone from the processes' environment; core dumps are off")
  func secretsAndCores() throws {
    let secret = Self.profile["NOSTR_SECRET_KEY"]!
    let (run, directory, _) = try Self.run("safe-secret")
    defer {
      run.kill()
      try? FileManager.default.removeItem(at: directory)
    }
    #expect(run.stderr.contains("NOSTR_SECRET_KEY is given by value"), "the advice to use a file")
    for name in ["responder", "run"] {
      let pid = name == "run" ? run.pid : try #require(Self.pid(name, in: run.stderr))
      let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ") ?? Data()
      #expect(!environ.isEmpty || geteuid() != 0, "\(name): /proc environ readable as root")
      #expect(environ.range(of: Data(secret.utf8)) == nil, "\(name) still shows the secret key in /proc/\(pid)/environ")
      let limits = (try? String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)) ?? ""
      let core = limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") } ?? ""
      #expect(
        core.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2) == ["0", "0"],
        "\(name): \(core)")
    }
  }

  @Test("F11: a crashing responder dies at once and run exits non-zero")
  func crashEndsTheStack() throws {
    let (run, directory, port) = try Self.run("safe-crash", variables: ["BLS_TEST_CRASH_HOOK": "1"])
    defer {
      run.kill()
      try? FileManager.default.removeItem(at: directory)
    }
    #expect(try HTTPConnection(port: port).request("GET", "/health").status == 200, "\(run.stderr)")
    let crashed = Date()
    _ = try? HTTPConnection(port: port, timeoutSeconds: 30).request("GET", "/__crash")
    let code = run.waitForExit(seconds: 20)
    #expect(code != nil && code != 0, "run exit \(String(describing: code)): \(run.stderr.suffix(1500))")
    #expect(
      Date().timeIntervalSince(crashed) < 15, "the crash took \(Date().timeIntervalSince(crashed)) s to end the stack")
    #expect(run.stderr.contains("responder"), "\(run.stderr.suffix(800))")
  }

  @Test("F13: nginx's worker_processes follows the cores this process may use")
  func workerProcesses() throws {
    let directory = TestEnvironment.temporaryDirectory("safe-cpus")
    defer { try? FileManager.default.removeItem(at: directory) }
    let render = try ChildProcess(
      TestEnvironment.binary, ["run", "--print-nginx-config"],
      environment: TestEnvironment.childEnvironment(Self.profile), logDirectory: directory, name: "render")
    #expect(render.waitForExit(seconds: 10) == 0)
    let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    let line = render.stdout.split(separator: "\n").first { $0.hasPrefix("worker_processes ") } ?? ""
    let count = Int(line.dropFirst("worker_processes ".count).prefix { $0.isNumber }) ?? 0
    #expect((1...cores).contains(count), "\(line)")
    #expect(render.stdout.contains("limit_conn bls_per_address"), "a per-address connection limit")
    #expect(render.stdout.contains("fastcgi_read_timeout 15s;"), "above the 10 s BLS_REQUEST_TIMEOUT_MS")
  }
}
