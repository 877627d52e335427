/// The process environment as read for configuration, with the `VAR_FILE` convention of the
/// official database images (Docker/Compose/Kubernetes secrets): `VAR_FILE=/run/secrets/x`
/// supplies VAR's value from that file, trailing newlines removed. Setting both VAR and
/// VAR_FILE is an error. An empty value counts as unset; an empty file is an error.
public struct Environment: Sendable {
  /// Reads a whole file as UTF-8, or throws a one-line reason.
  public typealias FileReader = @Sendable (String) throws(FileReadError) -> String

  let variables: [String: String]
  let readFile: FileReader

  /// - Parameters:
  ///   - variables: name → value (for the running process: `bls-fcgi`'s `Environment.process`).
  ///   - readFile: how a `VAR_FILE`'s file is read; by default files cannot be read (every
  ///     `VAR_FILE` is then an error naming the variable).
  public init(_ variables: [String: String], readFile: @escaping FileReader = Environment.noFiles) {
    self.variables = variables
    self.readFile = readFile
  }

  /// A reader that reads nothing: this core does no I/O of its own.
  public static let noFiles: FileReader = { (_: String) throws(FileReadError) -> String in
    throw FileReadError(reason: "no file reader given")
  }

  /// The value of `name` (directly or through `name_FILE`), or `nil` when unset or empty.
  /// Returns the name the value came from, for error messages.
  public func value(_ name: String) throws(ConfigurationError) -> (value: String, source: String)? {
    let direct = variables[name].flatMap { $0.isEmpty ? nil : $0 }
    let fileVariable = name + "_FILE"
    let path = variables[fileVariable].flatMap { $0.isEmpty ? nil : $0 }
    switch (direct, path) {
    case (let value?, nil):
      return (value, name)
    case (nil, let path?):
      let contents: String
      do {
        contents = try readFile(path)
      } catch {
        throw ConfigurationError(variable: fileVariable, rule: "cannot read \(path): \(error.reason)")
      }
      var trimmed = Substring(contents)
      while let last = trimmed.last, last == "\n" || last == "\r\n" || last == "\r" {
        trimmed = trimmed.dropLast()
      }
      // A file named on purpose but empty is a mistake (a secret not mounted, a key never
      // written), not "unset": say which file, rather than that the variable is missing.
      guard !trimmed.isEmpty else {
        throw ConfigurationError(variable: fileVariable, rule: "\(path) is empty; it must hold \(name)'s value")
      }
      return (String(trimmed), fileVariable)
    case (_?, _?):
      throw ConfigurationError(
        variable: name, rule: "both \(name) and \(fileVariable) are set; set only one")
    case (nil, nil):
      return nil
    }
  }

  /// The first of `names` that is set, in order of precedence.
  public func firstValue(_ names: [String]) throws(ConfigurationError) -> (value: String, source: String)? {
    for name in names {
      if let found = try value(name) { return found }
    }
    return nil
  }
}

/// Why a `_FILE` variable's file could not be read.
public struct FileReadError: Error, Sendable {
  public let reason: String
  public init(reason: String) { self.reason = reason }
}
