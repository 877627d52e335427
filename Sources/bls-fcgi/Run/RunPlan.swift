import BLSApp
import BLSFastCGI
import Glibc
import ProcessSupport

/// Everything `bls-fcgi run` decides before starting a process: paths, the nginx binary, the
/// rendered configuration.
struct RunPlan {
  let runtimeDirectory: String
  let socketPath: String
  let nginxConfigPath: String
  let nginxBinary: String
  let nginxConfig: String
  let selfPath: String
  let workers: Int
  /// Where the readiness probe asks for /health.
  let probeHost: String
  let port: Int
  /// Where nginx listens, for the log: `http://ADDR:PORT`, or the port on every interface.
  var listening: String {
    listensEverywhere ? "port \(port) on every interface" : "http://\(probeHost):\(port)"
  }
  private let listensEverywhere: Bool

  /// The user nginx's workers run as when `run` starts as root, and its group.
  let nginxUser: (name: String, uid: uid_t, group: String, gid: gid_t)?

  /// - Parameter runtimeDirectory: where the socket and files go (see ``RuntimeDirectory``).
  init(command: RunCommand, configuration: BLSConfiguration, runtimeDirectory: String) throws(SupervisorError) {
    let environment = ProcessEnvironment.variables
    self.runtimeDirectory = runtimeDirectory
    socketPath = runtimeDirectory + "/bls.sock"
    guard socketPath.utf8.count < 108 else {
      throw SupervisorError("runtime directory path too long for a unix socket (\(socketPath))")
    }
    nginxConfigPath = runtimeDirectory + "/nginx.conf"
    nginxUser = geteuid() == 0 ? try Self.nginxUser(environment["BLS_NGINX_USER"]) : nil
    nginxBinary = try Self.findNginx(command.nginx ?? environment["BLS_NGINX"])
    selfPath = try Self.executablePath()
    workers = command.workers ?? FastCGIServerOptions.onlineCores
    port = configuration.port
    let address = command.listenAddress ?? environment["BLS_LISTEN_ADDRESS"] ?? ""
    listensEverywhere = address.isEmpty || address == "0.0.0.0" || address == "*"
    if listensEverywhere {
      probeHost = "127.0.0.1"
    } else {
      var parsed = in_addr()
      guard inet_pton(AF_INET, address, &parsed) == 1 else {
        throw SupervisorError("BLS_LISTEN_ADDRESS: must be an IPv4 address, got \"\(address)\"")
      }
      probeHost = address
    }
    let accessLog: Bool
    switch environment["BLS_ACCESS_LOG"] {
    case nil, "", "on": accessLog = !command.noAccessLog
    case "off": accessLog = false
    case let other?:
      throw SupervisorError("BLS_ACCESS_LOG: must be on or off, got \"\(other.prefix(64))\"")
    }
    let template: String
    if let path = command.nginxTemplate {
      do {
        template = String(decoding: try FileIO.read(path), as: UTF8.self)
      } catch {
        throw SupervisorError("cannot read nginx template \(path)")
      }
    } else {
      template = RunNginxTemplate.text
    }
    let values = RunNginxConfig(
      listen: probeHost == address ? "\(address):\(port)" : String(port), socket: socketPath,
      runtimeDirectory: runtimeDirectory, maxBodyBytes: configuration.maxRequestBodyBytes,
      accessLog: accessLog, jsonAccessLog: Log.format == .json,
      userDirective: nginxUser.map { "user \($0.name) \($0.group);" } ?? "",
      workerProcesses: CPUQuota.effectiveCores,
      readTimeoutSeconds: (configuration.requestTimeoutMillis + 999) / 1000 + 5)
    do {
      nginxConfig = try values.render(template)
    } catch {
      throw SupervisorError(error.description)
    }
  }

  /// Checks nobody serves on the socket yet and writes the rendered nginx.conf; started as
  /// root, lets nginx's workers' group reach the socket.
  func prepare(_ directory: RuntimeDirectory) throws(SupervisorError) {
    if FastCGIListener.isAccepting(unixPath: socketPath) {
      throw SupervisorError("another responder is already listening on \(socketPath); is the stack already running?")
    }
    if let nginxUser {
      try directory.checkReachable(byUser: nginxUser.name, uid: nginxUser.uid, gid: nginxUser.gid)
      try directory.admit(group: nginxUser.gid)
    }
    try directory.write("nginx.conf", Array(nginxConfig.utf8))
  }

  var responderArguments: [String] {
    // Only nginx may connect: this user's own workers, or (started as root) the group of the
    // unprivileged user nginx's workers run as.
    let access =
      nginxUser.map { ["--socket-mode", "0660", "--socket-group", String($0.gid)] } ?? ["--socket-mode", "0600"]
    return ["bls-fcgi", "serve", "--socket", socketPath] + access + ["--workers", String(workers)]
  }

  var nginxArguments: [String] {
    ["nginx", "-p", runtimeDirectory + "/", "-c", nginxConfigPath, "-e", "stderr"]
  }

  // MARK: Helpers

  /// `--nginx`/`BLS_NGINX` as given (a path, or a name searched on PATH), else `nginx` on
  /// PATH, else /usr/sbin/nginx.
  static func findNginx(_ requested: String?) throws(SupervisorError) -> String {
    let name = requested.flatMap { $0.isEmpty ? nil : $0 } ?? "nginx"
    if name.contains("/") {
      guard access(name, X_OK) == 0 else { throw SupervisorError("BLS_NGINX: \(name) is not an executable file") }
      return name
    }
    let searchPath = ProcessEnvironment.value("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    for directory in searchPath.split(separator: ":") where access("\(directory)/\(name)", X_OK) == 0 {
      return "\(directory)/\(name)"
    }
    if requested == nil, access("/usr/sbin/nginx", X_OK) == 0 { return "/usr/sbin/nginx" }
    throw SupervisorError(
      "BLS_NGINX: \(name) not found on PATH or at /usr/sbin/nginx; install nginx or pass --nginx PATH")
  }

  /// This executable, for starting `serve` as the responder.
  static func executablePath() throws(SupervisorError) -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard count > 0 else { throw SupervisorError("cannot find this executable (/proc/self/exe)") }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Started as root, nginx's workers run as `BLS_NGINX_USER` (default `nobody`) with that
  /// user's primary group — never as root.
  static func nginxUser(_ requested: String?) throws(SupervisorError) -> (
    name: String, uid: uid_t, group: String, gid: gid_t
  ) {
    let name = requested.flatMap { $0.isEmpty ? nil : $0 } ?? "nobody"
    guard let user = getpwnam(name) else {
      throw SupervisorError(
        "BLS_NGINX_USER: no user \"\(name)\" on this system (nginx's workers run as it when run starts as root)")
    }
    guard user.pointee.pw_uid != 0 else {
      throw SupervisorError("BLS_NGINX_USER: \(name) is root; nginx's workers must run unprivileged")
    }
    let gid = user.pointee.pw_gid
    let group = getgrgid(gid).map { String(cString: $0.pointee.gr_name) } ?? String(gid)
    return (name, user.pointee.pw_uid, group, gid)
  }

  static func trimmedSlash(_ path: String) -> String {
    var path = path
    while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
    return path
  }
}
