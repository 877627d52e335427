/// The values `bls-fcgi run` puts into the nginx template's `{{PLACEHOLDERS}}`.
struct RunNginxConfig {
  /// `listen` argument: `3100` (every interface) or `127.0.0.1:3100`.
  var listen: String
  /// Path of the responder's unix socket.
  var socket: String
  /// Directory of the pid file and nginx's temporary files.
  var runtimeDirectory: String
  /// `client_max_body_size`, the same limit the responder enforces.
  var maxBodyBytes: Int
  /// Whether the access log goes to standard output.
  var accessLog: Bool
  /// Whether the access log is JSON (`BLS_LOG_FORMAT=json`: the template's `bls_json` format).
  var jsonAccessLog = false
  /// `user NAME GROUP;` when started as root (the unprivileged user nginx's workers run as),
  /// else empty.
  var userDirective: String
  /// `worker_processes`: the cores this process may use (``CPUQuota/effectiveCores``).
  var workerProcesses: Int
  /// `fastcgi_read_timeout` in seconds: above `BLS_REQUEST_TIMEOUT_MS`, so the responder
  /// always answers before nginx gives up on it.
  var readTimeoutSeconds: Int

  struct RenderError: Error, CustomStringConvertible {
    let description: String
  }

  /// The template with every placeholder filled in. Throws for a placeholder it does not
  /// know, so a template typo fails before nginx starts.
  func render(_ template: String) throws(RenderError) -> String {
    let values: [String: String] = [
      "LISTEN": listen,
      "SOCKET": socket,
      "RUNTIME_DIR": runtimeDirectory,
      "MAX_BODY_BYTES": String(maxBodyBytes),
      "ACCESS_LOG": accessLog ? (jsonAccessLog ? "/dev/stdout bls_json" : "/dev/stdout bls") : "off",
      "USER_DIRECTIVE": userDirective,
      "WORKER_PROCESSES": String(workerProcesses),
      "READ_TIMEOUT": "\(readTimeoutSeconds)s",
    ]
    var output = ""
    var rest = Substring(template)
    while let open = rest.firstRange(of: "{{") {
      output += rest[..<open.lowerBound]
      guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
        throw RenderError(description: "nginx template: unterminated {{ placeholder")
      }
      let name = String(rest[open.upperBound..<close.lowerBound])
      guard let value = values[name] else {
        throw RenderError(description: "nginx template: unknown placeholder {{\(name)}}")
      }
      output += value
      rest = rest[close.upperBound...]
    }
    output += rest
    return output
  }
}
