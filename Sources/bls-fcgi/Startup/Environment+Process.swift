import BLSApp
import ProcessSupport

extension Environment {
  /// This process's environment; a `VAR_FILE` is read whole, at most 1 MiB of UTF-8.
  static var process: Environment {
    Environment(ProcessEnvironment.variables) { (path: String) throws(FileReadError) -> String in
      do throws(SystemError) {
        return try FileIO.readText(path, limit: 1 << 20)
      } catch {
        throw FileReadError(reason: error.reason)
      }
    }
  }
}
