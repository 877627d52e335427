import Foundation
import JSON

/// The project's read-only test material in `Tests/Fixtures` (`vectors/`, `toon-fixtures/`;
/// see its README): `$BLS_FIXTURES_DIR` if set, else the folder inside this repository.
public enum Fixtures {
  /// The repository root: the nearest directory above this file holding `Package.swift`.
  public static let repositoryRoot: URL = {
    var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while directory.path != "/" {
      if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
        return directory
      }
      directory.deleteLastPathComponent()
    }
    fatalError("cannot find the repository root above \(#filePath)")
  }()

  /// The fixtures directory itself.
  public static let url: URL = {
    if let directory = ProcessInfo.processInfo.environment["BLS_FIXTURES_DIR"], !directory.isEmpty {
      return URL(fileURLWithPath: directory, isDirectory: true)
    }
    return repositoryRoot.appendingPathComponent("Tests/Fixtures", isDirectory: true)
  }()

  /// A path inside the fixtures directory.
  public static func url(_ relativePath: String) -> URL {
    url.appendingPathComponent(relativePath)
  }

  /// The bytes of a fixture file; empty when it is missing (so count checks fail loudly).
  public static func data(_ relativePath: String) -> Data {
    (try? Data(contentsOf: url(relativePath))) ?? Data()
  }

  /// A fixture JSON file parsed with the project's own parser.
  public static func json(_ relativePath: String) throws -> JSONValue {
    let data = try Data(contentsOf: url(relativePath))
    return try JSONParser(maxDepth: 256).parse([UInt8](data))
  }

  /// The `.json` files of a fixture directory, sorted, as relative paths.
  public static func jsonFiles(in relativeDirectory: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url(relativeDirectory).path)) ?? []
    return names.filter { $0.hasSuffix(".json") }.sorted().map { "\(relativeDirectory)/\($0)" }
  }
}
