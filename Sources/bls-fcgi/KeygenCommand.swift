import ArgumentParser

/// Placeholder, replaced by its owner.
struct KeygenCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "keygen", abstract: "(not yet implemented)")
  func run() throws { throw ExitCode(2) }
}
