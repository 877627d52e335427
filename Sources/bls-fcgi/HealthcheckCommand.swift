import ArgumentParser

/// Placeholder, replaced by its owner.
struct HealthcheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "healthcheck", abstract: "(not yet implemented)")
  func run() throws { throw ExitCode(2) }
}
