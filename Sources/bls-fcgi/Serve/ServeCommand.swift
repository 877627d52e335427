import ArgumentParser
import BLSApp
import BLSFastCGI
import Glibc
import ProcessSupport

/// `bls-fcgi serve`: the FastCGI responder alone. It owns the database; a web server (the
/// bundled nginx under `run`, or a host's own) sends it requests over FastCGI.
struct ServeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Run the FastCGI responder (for `run`, a host's web server, or spawn-fcgi).",
    discussion: """
      Listens on --socket PATH (a unix socket), --listen HOST:PORT (TCP, loopback unless a \
      host is given), or, with neither, accepts on the listening socket inherited on fd 0 from \
      spawn-fcgi or a web server that starts FastCGI applications itself.

      Over TCP, FCGI_WEB_SERVER_ADDRS (comma-separated IPv4 addresses, libfcgi's convention) \
      limits which web servers may connect.

      Configuration comes from the environment (NODE_ID, NOSTR_SECRET_KEY, ILP_ADDRESS, …); a \
      bad variable prints one line and exits 1 before anything listens.

      Signals: SIGTERM, SIGINT and SIGQUIT stop \
      accepting, answer the requests already received, checkpoint the database's WAL, close it \
      and exit 0. SIGPIPE is ignored.
      """)

  @Option(name: .long, help: ArgumentHelp("Listen on a unix socket at this path.", valueName: "path"))
  var socket: String?

  @Option(name: .long, help: ArgumentHelp("Permission bits of the unix socket (octal).", valueName: "mode"))
  var socketMode: String = "0660"

  @Option(
    name: .long,
    help: ArgumentHelp("Group (name or number) that owns the unix socket, e.g. the web server's.", valueName: "group"))
  var socketGroup: String?

  @Option(
    name: .long,
    help: ArgumentHelp("Listen on TCP HOST:PORT, or PORT on 127.0.0.1.", valueName: "host:port"))
  var listen: String?

  @Option(
    name: .long,
    help:
      "Threads reading and answering requests (default: the cores this process may use, CPU quota included); payments waiting for the disk hold none."
  )
  var workers: Int?

  @Option(
    name: .long,
    help: "Seconds a request may take to arrive whole (parameters and body), and an answer to be taken.")
  var ioTimeout: Int = 10

  @Option(
    name: .long,
    help: "Most connections open at once; at the limit the oldest idle one is closed for a new one.")
  var maxConnections: Int = 1024

  @Option(name: .long, help: "Seconds a kept-open connection may stay idle.")
  var idleTimeout: Int = 120

  func validate() throws {
    if socket != nil && listen != nil {
      throw ValidationError("give either --socket or --listen, not both")
    }
    if ServeEndpoint.octalMode(socketMode) == nil {
      throw ValidationError("--socket-mode must be octal permission bits such as 0660, got \(socketMode)")
    }
    if let socketGroup, ServeEndpoint.groupID(socketGroup) == nil {
      throw ValidationError("--socket-group: no group \"\(socketGroup)\"")
    }
    if let listen, ServeEndpoint.hostAndPort(listen) == nil {
      throw ValidationError("--listen must be HOST:PORT or PORT with a port of 1 to 65535, got \(listen)")
    }
    if let workers, !(1...1024).contains(workers) { throw ValidationError("--workers must be 1 to 1024") }
    guard ioTimeout > 0, idleTimeout > 0 else { throw ValidationError("timeouts must be positive") }
    guard (1...65536).contains(maxConnections) else { throw ValidationError("--max-connections must be 1 to 65536") }
  }

  func run() throws {
    for problem in ProcessHardening.apply() { Log.warning(problem) }
    // Before any thread exists, so every thread inherits the mask and only the waiter sees them.
    ServeSignals.blockStopSignals()
    let bootstrap = ServerBootstrap.start()
    // Read once; gone from the environment (and from /proc/<pid>/environ) from now on.
    ProcessEnvironment.scrub(BLSConfiguration.secretVariables)
    let configuration = bootstrap.configuration
    let store = bootstrap.store
    let application = bootstrap.application
    let listener: FastCGIListener
    do {
      listener = try ServeEndpoint(socket: socket, socketMode: socketMode, socketGroup: socketGroup, listen: listen)
        .open()
    } catch {
      store.close()
      StandardIO.fail("ERROR: \(error.message)")
    }
    let options = FastCGIServerOptions(
      workers: workers ?? FastCGIServerOptions.onlineCores, maxBodyBytes: configuration.maxRequestBodyBytes,
      ioTimeoutSeconds: ioTimeout,
      idleTimeoutSeconds: idleTimeout, maxConnections: maxConnections,
      allowedTCPPeers: FastCGIServerOptions.peers(
        fromWebServerAddrs: ProcessEnvironment.value("FCGI_WEB_SERVER_ADDRS")))
    let server = try FastCGIServer(
      listener: listener, options: options,
      reject: { BLSApplication.error($0.status, $0.message) }, handler: Self.handler(application))
    ServeMetrics.register(application: application, store: store, server: server)
    try ServeSignals.onStopSignal { name in
      Log.info("\(name) received: draining (no new connections; answering requests in flight)")
      server.stop()
    }
    Log.info(
      "serving on \(listener.address) with \(options.workers) workers, body limit \(options.maxBodyBytes) bytes"
    )
    try server.run()
    store.close()
    // How well group commit worked (events per durable commit), for operators and bench/run.sh.
    Log.info(store.statisticsLine)
    Log.info("stopped: requests answered, \(store.closedLine)")
  }

  /// The application's handler; in debug builds (the tests'), with `BLS_TEST_CRASH_HOOK=1`,
  /// `GET /__crash` crashes the process on purpose, to prove a crash ends it at once and
  /// `run` notices. Release builds have no such path.
  static func handler(_ application: BLSApplication) -> FastCGIServer.DeferredHandler {
    #if DEBUG
      if ProcessEnvironment.value("BLS_TEST_CRASH_HOOK") == "1" {
        return { request, respond in
          if request.path == "/__crash" { fatalError("deliberate crash (BLS_TEST_CRASH_HOOK)") }
          return application.handle(request, respond: respond)
        }
      }
    #endif
    return application.handle(_:respond:)
  }
}
