import ArgumentParser
import BLSApp
import ProcessSupport

/// `bls-fcgi`: the BLS FastCGI responder, its supervisor and its operator tools.
@main
struct BLSCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bls-fcgi",
    abstract: "BLS, the Business Logic Server: prices and stores Nostr events paid over Interledger.",
    discussion: """
      `run` starts the whole stack (nginx on BLS_PORT in front of the FastCGI responder);
      `serve` is the responder alone, for a host's own web server. Configuration comes from
      the environment (see the README); every VAR also accepts VAR_FILE.
      """,
    subcommands: [
      RunCommand.self, ServeCommand.self, HealthcheckCommand.self, TOONCommand.self,
      KeygenCommand.self, PayloadCommand.self,
      BackupCommand.self, ExportCommand.self, ImportCommand.self, CopyCommand.self, MigrateCommand.self,
    ]
  )

  /// Every subcommand logs in `BLS_LOG_FORMAT` (an invalid value is left to `run` and `serve`,
  /// which refuse to start with it; the tools then log text).
  static func main() {
    Log.format = LogSetup.validFormat(.process) ?? .text
    main(nil)
  }
}
