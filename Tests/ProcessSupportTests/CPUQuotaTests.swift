import Glibc
import ProcessSupport
import Testing

/// The cgroup CPU quota, read the way a container runtime writes it (issue 11, F13).
@Suite("CPUQuota: the cores a container may really use")
struct CPUQuotaTests {
  @Test(
    "cgroup v2 cpu.max",
    arguments: [
      ("max 100000\n", nil), ("150000 100000\n", 2), ("100000 100000", 1), ("50000 100000", 1),
      ("400000 100000\n", 4), ("", nil), ("garbage", nil), ("-1 100000", nil), ("100000 0", nil),
    ] as [(String, Int?)])
  func cpuMax(text: String, cores: Int?) {
    #expect(CPUQuota.parseCPUMax(text) == cores)
  }

  @Test("cgroup v1 cfs quota and period")
  func cfs() {
    #expect(CPUQuota.parseCFS(quota: "-1\n", period: "100000\n") == nil)
    #expect(CPUQuota.parseCFS(quota: "250000\n", period: "100000\n") == 3)
    #expect(CPUQuota.parseCFS(quota: "x", period: "100000") == nil)
  }

  @Test("the effective count is at least 1 and never above the online cores")
  func effective() {
    let online = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #expect((1...online).contains(CPUQuota.effectiveCores))
  }
}
