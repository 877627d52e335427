import ArgumentParser
import BLSApp
import BLSFastCGI
import Glibc
import ProcessSupport

/// `bls-fcgi run`: the whole stack in the foreground — the responder and nginx in front of
/// it on `BLS_PORT` — for the container (as PID 1) and for local use.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run nginx on BLS_PORT in front of the FastCGI responder, in the foreground.",
    discussion: """
      Validates the configuration first (a bad variable prints one line and exits 1 before \
      nginx starts), renders the nginx template into the runtime directory, starts the \
      responder on a unix socket there, then nginx, and logs one line when /health answers \
      through nginx.

      Exits non-zero if nginx or the responder dies. On SIGTERM, SIGINT or SIGQUIT it stops \
      nginx gracefully (SIGQUIT), then drains the responder (SIGTERM), and exits 0 within 10 \
      seconds.

      nginx is --nginx, else $BLS_NGINX, else `nginx` on PATH, else /usr/sbin/nginx.
      """)

  @Option(
    name: .long,
    help: ArgumentHelp("The nginx binary (default: $BLS_NGINX, nginx on PATH, /usr/sbin/nginx).", valueName: "path"))
  var nginx: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Directory for the socket, nginx.conf, pid and temporary files (default: $BLS_RUNTIME_DIR, else a new private /tmp/bls-XXXXXX).",
      valueName: "dir"))
  var runtimeDir: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "IPv4 address nginx listens on (default: $BLS_LISTEN_ADDRESS or every interface).", valueName: "address"))
  var listenAddress: String?

  @Option(
    name: .long,
    help: "Responder threads reading requests and answering quick ones (default: the cores this process may use).")
  var workers: Int?

  @Option(
    name: .long,
    help: ArgumentHelp("nginx configuration template to render instead of the built-in one.", valueName: "path"))
  var nginxTemplate: String?

  @Flag(name: .long, help: "No access log (default: one line per request on standard output; also BLS_ACCESS_LOG=off).")
  var noAccessLog = false

  @Flag(name: .long, help: "Print the rendered nginx configuration and exit.")
  var printNginxConfig = false

  @Flag(name: .long, help: "Print the built-in nginx template and exit.")
  var printNginxTemplate = false

  func run() throws {
    if printNginxTemplate {
      print(RunNginxTemplate.text, terminator: "")
      return
    }
    for problem in ProcessHardening.apply() { Log.warning(problem) }
    Supervisor.blockSignals()
    let configuration = ServerBootstrap.loadConfiguration()
    let requested = (runtimeDir ?? ProcessEnvironment.value("BLS_RUNTIME_DIR")).flatMap {
      $0.isEmpty ? nil : RunPlan.trimmedSlash($0)
    }
    do {
      if printNginxConfig {
        let plan = try RunPlan(
          command: self, configuration: configuration, runtimeDirectory: requested ?? "/tmp/bls-XXXXXX")
        print(plan.nginxConfig, terminator: "")
        return
      }
      let directory =
        try requested.map { path throws(SupervisorError) in try RuntimeDirectory.given(path) }
        ?? RuntimeDirectory.fresh()
      defer { directory.removeIfTemporary() }
      let plan = try RunPlan(command: self, configuration: configuration, runtimeDirectory: directory.path)
      try plan.prepare(directory)
      let code = try RunStack(plan: plan).run()
      if code != 0 { throw ExitCode(code) }
    } catch let error as SupervisorError {
      StandardIO.fail("ERROR: \(error.description)")
    }
  }
}
