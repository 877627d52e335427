import BLSMetrics
import Glibc
import ProcessSupport

/// The process figures of the `/metrics` page under Prometheus' conventional names
/// (https://prometheus.io/docs/instrumenting/writing_clientlibs/#process-metrics), read from
/// /proc (proc(5)) at each scrape: `process_cpu_seconds_total`, `process_resident_memory_bytes`,
/// `process_open_fds`, `process_max_fds` and `process_start_time_seconds`.
struct ProcessMetrics: MetricsSource {
  /// Clock ticks per second (`_SC_CLK_TCK`), for /proc's times.
  let ticks = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
  let pageSize = UInt64(max(1, sysconf(Int32(_SC_PAGESIZE))))
  /// Boot time, Unix seconds (`btime` of /proc/stat), read once.
  let bootTime: UInt64 = Self.bootTime()

  func write(to page: inout MetricsText) {
    if let stat = Self.selfStat() {
      // proc(5): after the `(comm)` field, utime is field 14, stime 15, starttime 22, rss 24.
      page.single(
        "process_cpu_seconds_total", .counter, help: "Total user and system CPU time spent in seconds.",
        MetricsText.decimal((stat.utime + stat.stime) * 100 / ticks, scale: 100))
      page.single(
        "process_resident_memory_bytes", .gauge, help: "Resident memory size in bytes.",
        String(stat.rssPages * pageSize))
      page.single(
        "process_start_time_seconds", .gauge, help: "Start time of the process since unix epoch in seconds.",
        MetricsText.decimal(bootTime * 100 + stat.startTicks * 100 / ticks, scale: 100))
    }
    if let open = Self.openFDs() {
      page.single("process_open_fds", .gauge, help: "Number of open file descriptors.", String(open))
    }
    var limit = rlimit()
    if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 {
      page.single(
        "process_max_fds", .gauge, help: "Maximum number of open file descriptors.", String(UInt64(limit.rlim_cur)))
    }
  }

  struct Stat {
    var utime: UInt64
    var stime: UInt64
    var startTicks: UInt64
    var rssPages: UInt64
  }

  /// /proc/self/stat's figures; the fields are counted from after the last `)`, as the
  /// command name may hold spaces and parentheses.
  static func selfStat() -> Stat? {
    guard let text = try? FileIO.readText("/proc/self/stat", limit: 4096),
      let close = text.lastIndex(of: ")")
    else { return nil }
    // Field 3 (state) is the first after ") ".
    let fields = text[text.index(after: close)...].split(separator: " ")
    func field(_ number: Int) -> UInt64? {
      let index = number - 3
      return index < fields.count ? UInt64(fields[index]) : nil
    }
    guard let utime = field(14), let stime = field(15), let start = field(22), let rss = field(24) else {
      return nil
    }
    return Stat(utime: utime, stime: stime, startTicks: start, rssPages: rss)
  }

  /// Entries of /proc/self/fd, less the one the listing itself holds open.
  static func openFDs() -> Int? {
    guard let directory = opendir("/proc/self/fd") else { return nil }
    defer { closedir(directory) }
    var count = 0
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      if name != "." && name != ".." { count += 1 }
    }
    return max(0, count - 1)
  }

  static func bootTime() -> UInt64 {
    guard let text = try? FileIO.readText("/proc/stat", limit: 1 << 20) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
      return UInt64(line.dropFirst(6).trimmingPrefix(" ")) ?? 0
    }
    return 0
  }
}
