import ArgumentParser

/// Placeholder, replaced by its owner.
struct TOONCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "toon", abstract: "(not yet implemented)")
  func run() throws { throw ExitCode(2) }
}
