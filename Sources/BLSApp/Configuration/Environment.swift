#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The process environment as read for configuration, with the `VAR_FILE` convention of the
/// official database images (Docker/Compose/Kubernetes secrets): `VAR_FILE=/run/secrets/x`
/// supplies VAR's value from that file, trailing newlines removed. Setting both VAR and
/// VAR_FILE is an error. An empty value counts as unset.
public struct Environment: Sendable {
  /// Reads a whole file as UTF-8, or throws a one-line reason.
  public typealias FileReader = @Sendable (String) throws(FileReadError) -> String

  let variables: [String: String]
  let readFile: FileReader

  public init(_ variables: [String: String], readFile: @escaping FileReader = Environment.readWholeFile) {
    self.variables = variables
    self.readFile = readFile
  }

  /// The current process's environment.
  public static var process: Environment {
    var result: [String: String] = [:]
    var cursor = environ
    while let entry = cursor.pointee {
      let pair = String(cString: entry)
      if let eq = pair.firstIndex(of: "=") {
        result[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
      }
      cursor += 1
    }
    return Environment(result)
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
      return trimmed.isEmpty ? nil : (String(trimmed), fileVariable)
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

  /// Reads a file with the C library; errors carry `strerror`'s text.
  public static let readWholeFile: FileReader = { (path: String) throws(FileReadError) -> String in
    guard let file = fopen(path, "rb") else {
      throw FileReadError(reason: String(cString: strerror(errno)))
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = fread(&buffer, 1, buffer.count, file)
      if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
      if count < buffer.count {
        if ferror(file) != 0 { throw FileReadError(reason: String(cString: strerror(errno))) }
        break
      }
      if bytes.count > 1 << 20 { throw FileReadError(reason: "file is larger than 1 MiB") }
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw FileReadError(reason: "not valid UTF-8")
    }
    return text
  }
}

/// Why a `_FILE` variable's file could not be read.
public struct FileReadError: Error, Sendable {
  public let reason: String
  public init(reason: String) { self.reason = reason }
}
