import Foundation
import Glibc
import Synchronization

/// A throw-away PostgreSQL cluster for the whole test run: `initdb` into a temporary
/// directory, `pg_ctl start` on a free port (as the `postgres` user when the tests run as
/// root, since initdb refuses root), each test in a database of its own, stopped and removed
/// at exit. Tests skip, saying why, only when Debian's server binaries are absent.
public final class PostgresCluster: @unchecked Sendable {
  public let directory: String
  public let port: Int
  public let binaries: String
  private let counter = Mutex(0)

  /// The cluster, started on first use; `nil` when PostgreSQL's binaries are not installed.
  nonisolated(unsafe) public static let shared: PostgresCluster? = PostgresCluster.start()

  /// Why tests skip: shown by Swift Testing beside each skipped test.
  public static let unavailableReason =
    "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb); apt-get install postgresql"

  /// `true` when the binaries exist (the cluster itself must then start, or tests fail).
  public static var binariesPresent: Bool { findBinaries() != nil }

  public static func findBinaries() -> String? {
    let base = "/usr/lib/postgresql"
    let versions = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
    let sorted = versions.compactMap { Int($0) }.sorted(by: >)
    for version in sorted where FileManager.default.isExecutableFile(atPath: "\(base)/\(version)/bin/initdb") {
      return "\(base)/\(version)/bin"
    }
    return nil
  }

  private init(directory: String, port: Int, binaries: String) {
    self.directory = directory
    self.port = port
    self.binaries = binaries
  }

  private static func start() -> PostgresCluster? {
    guard let cluster = startPrivate() else { return nil }
    atexit { PostgresCluster.shared?.destroy() }
    return cluster
  }

  /// A cluster of the caller's own (to stop and start without disturbing other tests);
  /// the caller calls ``destroy()``.
  public static func startPrivate() -> PostgresCluster? {
    guard let binaries = findBinaries() else { return nil }
    let directory = FileManager.default.temporaryDirectory.path + "/bls-pg-\(UUID().uuidString.prefix(8))"
    try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    if getuid() == 0, let user = getpwnam("postgres") {
      chown(directory, user.pointee.pw_uid, user.pointee.pw_gid)
    }
    let port = LoopbackPort.free()
    let cluster = PostgresCluster(directory: directory, port: port, binaries: binaries)
    cluster.runAsOwner([
      "\(binaries)/initdb", "-D", "\(directory)/data", "-E", "UTF8", "--locale=C", "-A", "trust", "-U", "bls",
    ])
    cluster.startServer()
    return cluster
  }

  /// `pg_ctl start`, waiting until the server accepts connections. (`fsync=off`: the tests
  /// check what the store does, not the disk's durability.)
  public func startServer() {
    runAsOwner([
      "\(binaries)/pg_ctl", "-D", "\(directory)/data", "-l", "\(directory)/server.log", "-w", "-o",
      "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
      "start",
    ])
  }

  /// `pg_ctl stop -m fast`: every session is cut.
  public func stopServer() {
    runAsOwner(["\(binaries)/pg_ctl", "-D", "\(directory)/data", "-w", "-m", "fast", "stop"])
  }

  public func destroy() {
    stopServer()
    try? FileManager.default.removeItem(atPath: directory)
  }

  /// The URL of database `name` as the superuser `bls`.
  public func url(_ name: String = "postgres") -> String {
    "postgresql://bls@127.0.0.1:\(port)/\(name)"
  }

  /// A new, empty database; returns its URL.
  public func createDatabase() -> String {
    // (Each cluster counts on its own; the process id keeps names apart across runs.)
    let n = counter.withLock { n -> Int in
      n += 1
      return n
    }
    let name = "t\(getpid())_\(n)"
    runAsOwner(["\(binaries)/createdb", "-h", "127.0.0.1", "-p", String(port), "-U", "bls", name])
    return url(name)
  }

  /// Every line `sql` prints, run with psql on database `name` (unaligned, tuples only).
  public func psql(_ name: String, _ sql: String) -> [String] {
    runAsOwner([
      "\(binaries)/psql", "-X", "-A", "-t", "-h", "127.0.0.1", "-p", String(port), "-U", "bls", "-d", name, "-c", sql,
    ])
    .split(separator: "\n").map(String.init)
  }

  /// Runs a command as the cluster's owner (the `postgres` user when running as root) and
  /// waits; a failure stops the tests with the command's output.
  @discardableResult
  public func runAsOwner(_ arguments: [String]) -> String {
    // As root, in "/": `postgres` may not enter the working directory (CI's checkout is in a
    // 0700 folder of root's) and psql would say so on stderr, which is part of this output.
    let command =
      getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", "/usr/bin/env", "-C", "/"] + arguments : arguments
    // posix_spawn and waitpid, output to a file: Foundation's Process does not reap a child
    // whose grandchild (the server pg_ctl starts) lives on, and a pipe would stay open.
    // A file per command: tests run in parallel, and a shared one mixed their outputs (a
    // count read back from another test's query).
    let logPath = "\(directory)/command-\(UUID().uuidString).log"
    defer { unlink(logPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, command[0], &actions, nil, &argv, environ)
    precondition(spawned == 0, "cannot run \(command[0]): error \(spawned)")
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    precondition(status == 0, "\(arguments.joined(separator: " ")) failed (status \(status)):\n\(text)")
    return text
  }
}
