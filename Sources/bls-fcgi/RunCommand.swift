import ArgumentParser

/// Placeholder, replaced by its owner.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "run", abstract: "(not yet implemented)")
  func run() throws { throw ExitCode(2) }
}
