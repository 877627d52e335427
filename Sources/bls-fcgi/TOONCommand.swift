import ArgumentParser
import JSON
import TOON

#if canImport(Glibc)
  import Glibc
#endif

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

/// Whole-stream stdin/stdout/stderr helpers over the C library.
enum StandardIO {
  static func readAll() -> [UInt8] {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = read(0, &buffer, buffer.count)
      if n > 0 {
        bytes.append(contentsOf: buffer[0..<n])
      } else if n == 0 || errno != EINTR {
        break
      }
    }
    return bytes
  }

  static func write(_ bytes: [UInt8], to fd: Int32 = 1) {
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if n > 0 {
        offset += n
      } else if errno != EINTR {
        return
      }
    }
  }

  static func write(_ text: String, to fd: Int32 = 1) {
    write(Array(text.utf8), to: fd)
  }

  /// Prints one line on stderr and exits 1.
  static func fail(_ line: String) -> Never {
    write(line + "\n", to: 2)
    exit(1)
  }
}
