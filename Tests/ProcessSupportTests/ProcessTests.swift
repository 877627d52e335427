import Glibc
import ProcessSupport
import Testing

@Suite("Signals, environment and the monotonic clock")
struct ProcessTests {
  @Test(
    "signal names",
    arguments: [
      (SIGTERM, "SIGTERM"), (SIGINT, "SIGINT"), (SIGQUIT, "SIGQUIT"), (SIGHUP, "SIGHUP"), (SIGUSR1, "SIGUSR1"),
      (64, "signal 64"),
    ])
  func names(_ signal: Int32, _ name: String) {
    #expect(SignalSet.name(signal) == name)
  }

  @Test("a signal set's sigset holds exactly its signals")
  func sigset() {
    var set = SignalSet([SIGTERM, SIGUSR2]).sigset
    #expect(sigismember(&set, SIGTERM) == 1)
    #expect(sigismember(&set, SIGUSR2) == 1)
    #expect(sigismember(&set, SIGINT) == 0)
  }

  @Test("a variable set in the process is seen by value(_:) and variables")
  func environment() {
    let name = "BLS_PROCESS_TEST_\(getpid())"
    setenv(name, "a=b", 1)
    defer { unsetenv(name) }
    #expect(ProcessEnvironment.value(name) == "a=b")
    #expect(ProcessEnvironment.variables[name] == "a=b")
    #expect(ProcessEnvironment.value(name + "_UNSET") == nil)
  }

  @Test("the monotonic clock never goes back, and its two units agree")
  func clock() {
    let first = MonotonicClock.milliseconds()
    let nanoseconds = MonotonicClock.nanoseconds()
    let second = MonotonicClock.milliseconds()
    #expect(first <= second)
    #expect(Int64(nanoseconds / 1_000_000) >= first && Int64(nanoseconds / 1_000_000) <= second)
  }
}
