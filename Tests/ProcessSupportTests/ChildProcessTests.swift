import Glibc
import ProcessSupport
import Testing

@Suite("Child processes and their exit statuses")
struct ChildProcessTests {
  /// Waits for this test's own child (never `waitpid(-1)`: other suites in this process have
  /// children of their own).
  static func wait(_ child: ChildProcess) -> ChildExit {
    var status: Int32 = 0
    while waitpid(child.pid, &status, 0) < 0 && errno == EINTR {}
    return ChildExit(status: status)
  }

  @Test("a spawned program runs with its arguments; its exit code comes back")
  func exitCode() throws {
    let child = try ChildProcess.spawn(path: "/bin/sh", arguments: ["sh", "-c", "exit 7"])
    let exit = Self.wait(child)
    #expect(exit.exitCode == 7)
    #expect(exit.signal == nil)
    #expect(!exit.succeeded)
    #expect(exit.description == "exited with status 7")
  }

  @Test("with an environment given, the child sees only those variables")
  func environment() throws {
    let only = try ChildProcess.spawn(
      path: "/bin/sh", arguments: ["sh", "-c", #"test "$BLS_X" = y && test -z "$HOME""#],
      environment: ["BLS_X": "y"])
    #expect(Self.wait(only).succeeded)
  }

  @Test("a child killed by a signal reports it")
  func killed() throws {
    let child = try ChildProcess.spawn(path: "/bin/sh", arguments: ["sh", "-c", "kill -9 $$"])
    let exit = Self.wait(child)
    #expect(exit.signal == SIGKILL)
    #expect(exit.exitCode == nil)
    #expect(exit.description == "was killed by signal 9")
  }

  @Test("a program that cannot be executed exits 127 in the child")
  func notExecutable() throws {
    let child = try ChildProcess.spawn(path: "/nonexistent/program", arguments: ["x"])
    #expect(Self.wait(child).exitCode == 127)
  }

  @Test("exit statuses decode as waitpid encodes them on Linux")
  func decoding() {
    #expect(ChildExit(status: 0).succeeded)
    #expect(ChildExit(status: 3 << 8).exitCode == 3)
    #expect(ChildExit(status: 15).signal == 15)
    #expect(ChildExit(status: 0x137f).description == "stopped (status 4991)")
  }
}
