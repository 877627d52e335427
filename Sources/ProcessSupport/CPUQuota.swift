import Glibc

/// How many CPUs this process may really use: the online cores, lowered by the CPU quota of
/// its cgroup (a container started with `--cpus 1.5`, a Kubernetes CPU limit), so thread and
/// worker counts follow the limit rather than the host's size.
public enum CPUQuota {
  /// The cores to size thread pools for: `min(online cores, ceil(quota / period))`, at least 1.
  public static var effectiveCores: Int {
    let online = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    guard let quota = currentQuota() else { return online }
    return max(1, min(online, quota))
  }

  /// The quota of this process's cgroup in whole CPUs (rounded up), or `nil` without one:
  /// cgroup v2's `cpu.max` (`"150000 100000"`, `"max 100000"`), else cgroup v1's
  /// `cpu.cfs_quota_us` / `cpu.cfs_period_us`.
  public static func currentQuota() -> Int? {
    if let text = read("/sys/fs/cgroup/cpu.max") { return parseCPUMax(text) }
    if let quota = read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"),
      let period = read("/sys/fs/cgroup/cpu/cpu.cfs_period_us")
    {
      return parseCFS(quota: quota, period: period)
    }
    return nil
  }

  /// cgroup v2 `cpu.max`: `"QUOTA PERIOD"` in microseconds, or `"max PERIOD"` for none.
  public static func parseCPUMax(_ text: String) -> Int? {
    let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
    guard fields.count >= 1, fields[0] != "max" else { return nil }
    let period = fields.count >= 2 ? Int(fields[1]) : 100_000
    return whole(quota: Int(fields[0]), period: period)
  }

  /// cgroup v1: `cpu.cfs_quota_us` (`-1` for none) over `cpu.cfs_period_us`.
  public static func parseCFS(quota: String, period: String) -> Int? {
    whole(
      quota: Int(quota.trimmingCharacters(in: " \n")), period: Int(period.trimmingCharacters(in: " \n")))
  }

  private static func whole(quota: Int?, period: Int?) -> Int? {
    guard let quota, let period, quota > 0, period > 0 else { return nil }
    return (quota + period - 1) / period
  }

  private static func read(_ path: String) -> String? {
    guard let bytes = try? FileIO.read(path, limit: 256) else { return nil }
    return String(decoding: bytes, as: UTF8.self)
  }
}

extension String {
  fileprivate func trimmingCharacters(in set: String) -> String {
    var text = Substring(self)
    while let first = text.first, set.contains(first) { text = text.dropFirst() }
    while let last = text.last, set.contains(last) { text = text.dropLast() }
    return String(text)
  }
}
