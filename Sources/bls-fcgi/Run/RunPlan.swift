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

  init(command: RunCommand, configuration: BLSConfiguration) throws(SupervisorError) {
    let environment = ProcessEnvironment.variables
    runtimeDirectory = Self.trimmedSlash(command.runtimeDir ?? environment["BLS_RUNTIME_DIR"] ?? "/tmp/bls")
    guard runtimeDirectory.hasPrefix("/") else {
      throw SupervisorError("the runtime directory must be an absolute path, got \(runtimeDirectory)")
    }
    socketPath = runtimeDirectory + "/bls.sock"
    guard socketPath.utf8.count < 108 else {
      throw SupervisorError("runtime directory path too long for a unix socket (\(socketPath))")
    }
    nginxConfigPath = runtimeDirectory + "/nginx.conf"
    nginxBinary = try Self.findNginx(command.nginx ?? environment["BLS_NGINX"])
    selfPath = try Self.executablePath()
    workers = command.workers
    port = configuration.port
    let address = command.listenAddress ?? environment["BLS_LISTEN_ADDRESS"] ?? ""
    if address.isEmpty || address == "0.0.0.0" || address == "*" {
      probeHost = "127.0.0.1"
    } else {
      var parsed = in_addr()
      guard inet_pton(AF_INET, address, &parsed) == 1 else {
        throw SupervisorError("BLS_LISTEN_ADDRESS: must be an IPv4 address, got \"\(address)\"")
      }
      probeHost = address
    }
    let accessLog = !command.noAccessLog && environment["BLS_ACCESS_LOG"] != "off"
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
      accessLog: accessLog, jsonAccessLog: Log.format == .json, userDirective: Self.userDirective())
    do {
      nginxConfig = try values.render(template)
    } catch {
      throw SupervisorError(error.description)
    }
  }

  /// Creates the runtime directory (mode 0700) if needed, checks it is writable, and writes
  /// the rendered nginx.conf into it.
  func prepareRuntimeDirectory() throws(SupervisorError) {
    var path = ""
    for component in runtimeDirectory.split(separator: "/") {
      path += "/" + component
      if mkdir(path, 0o700) != 0 && errno != EEXIST {
        throw SupervisorError("cannot create runtime directory \(path): \(SystemError.errno.reason)")
      }
    }
    guard access(runtimeDirectory, W_OK | X_OK) == 0 else {
      throw SupervisorError(
        "runtime directory \(runtimeDirectory) is not writable by uid \(getuid()); set BLS_RUNTIME_DIR to a writable directory"
      )
    }
    if FastCGIListener.isAccepting(unixPath: socketPath) {
      throw SupervisorError("another responder is already listening on \(socketPath); is the stack already running?")
    }
    do {
      try FileIO.replace(nginxConfigPath, with: Array(nginxConfig.utf8))
    } catch {
      throw SupervisorError("cannot write \(nginxConfigPath): \(error.reason)")
    }
  }

  var responderArguments: [String] {
    [
      "bls-fcgi", "serve", "--socket", socketPath, "--socket-mode", "0600", "--workers", String(workers),
    ]
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

  /// nginx drops its workers to `nobody` when started as root, who could not reach the
  /// socket or the runtime directory; keep them as this user instead.
  static func userDirective() -> String {
    guard geteuid() == 0 else { return "" }
    let user = getpwuid(0).map { String(cString: $0.pointee.pw_name) } ?? "root"
    let group = getgrgid(getegid()).map { String(cString: $0.pointee.gr_name) } ?? user
    return "user \(user) \(group);  # started as root: keep workers as the responder's user"
  }

  static func trimmedSlash(_ path: String) -> String {
    var path = path
    while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
    return path
  }
}
