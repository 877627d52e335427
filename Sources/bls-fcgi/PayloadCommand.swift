import ArgumentParser

/// Placeholder, replaced by its owner.
struct PayloadCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "payload", abstract: "(not yet implemented)")
  func run() throws { throw ExitCode(2) }
}
