import ArgumentParser
import Glibc
import JSON
import ProcessSupport
import TOON

/// `bls-fcgi toon decode|encode`: the TOON codec as a filter, stdin to stdout.
struct TOONCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "toon",
    abstract: "Convert between TOON and JSON (stdin to stdout).",
    subcommands: [Decode.self, Encode.self]
  )

  struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Read TOON on stdin, write compact JSON on stdout.",
      discussion: "Invalid input exits 1 with one line on stderr naming the line and column.")

    @Flag(help: "Lenient decoding (TOON spec non-strict mode).")
    var lenient = false

    @Option(help: "Spaces per indentation level.")
    var indent = 2

    func run() throws {
      var decoder = TOONDecoder()
      decoder.strict = !lenient
      decoder.indent = indent
      do {
        let value = try decoder.decode(StandardIO.readAll())
        StandardIO.write(value.serializedBytes + [0x0A])
      } catch {
        StandardIO.fail("toon decode: \(error)")
      }
    }
  }

  struct Encode: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Read JSON on stdin, write canonical TOON on stdout.",
      discussion: "Invalid JSON exits 1 with one line on stderr naming the byte offset.")

    @Option(help: "Spaces per indentation level.")
    var indent = 2

    func run() throws {
      var encoder = TOONEncoder()
      encoder.indent = indent
      do {
        let value = try JSONValue.parse(StandardIO.readAll())
        let text = encoder.encode(value)
        StandardIO.write(Array(text.utf8) + (text.isEmpty ? [] : [0x0A]))
      } catch {
        StandardIO.fail("toon encode: invalid JSON: \(error)")
      }
    }
  }
}
