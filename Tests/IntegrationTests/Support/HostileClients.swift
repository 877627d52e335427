import BLSTestSupport
import Foundation
import Threads

/// Peers that hold a server's resources without ever finishing a request: slow senders, idle
/// connections, readers that never read. Each runs on a thread of its own from a loopback
/// source address of its own (`127.0.0.2` by default, so per-address limits of the server
/// count them apart from the test's own probes on `127.0.0.1`), and every loop ends by
/// itself within ``duration`` or at ``stop()``.
final class HostileClients: @unchecked Sendable {
  /// What to send once connected.
  enum Kind: Sendable {
    /// The head of a request whose body is announced as `bodyBytes`, then one body byte
    /// every `interval` seconds.
    case slowSender(head: [UInt8], interval: Double)
    /// Connects and sends nothing.
    case idle
    /// Sends `request` over and over and never reads an answer.
    case neverReads(request: [UInt8])
  }

  let port: Int
  let source: String
  let duration: Double
  private let stopped = Locked(false)
  private let descriptors = Locked<[Int32]>([])
  private var threads: [Thread] = []

  init(port: Int, source: String = "127.0.0.2", duration: Double = 30) {
    self.port = port
    self.source = source
    self.duration = duration
  }

  deinit { stop() }

  /// Starts `count` peers of `kind`; returns how many connected.
  @discardableResult
  func start(_ count: Int, _ kind: Kind) -> Int {
    var connected = 0
    for _ in 0..<count {
      guard let fd = connect() else { continue }
      connected += 1
      descriptors.withLock { $0.append(fd) }
      switch kind {
      case .idle: continue
      case .slowSender(let head, let interval):
        spawn { [self] in
          guard send(fd, head) else { return }
          while !isStopped, send(fd, [0x20]) { pause(interval) }
        }
      case .neverReads(let request):
        spawn { [self] in
          while !isStopped, send(fd, request) {}
        }
      }
    }
    return connected
  }

  /// Ends every peer: threads stop, sockets close.
  func stop() {
    stopped.withLock { $0 = true }
    for fd in descriptors.withLock({ list in
      defer { list = [] }; return list
    }) {
      Glibc.shutdown(fd, Int32(SHUT_RDWR))
      close(fd)
    }
  }

  private var isStopped: Bool { stopped.withLock { $0 } }

  private func spawn(_ body: @escaping @Sendable () -> Void) {
    let thread = Thread(block: body)
    thread.start()
    threads.append(thread)
  }

  /// Sleeps `seconds` in small steps, returning early once stopped.
  private func pause(_ seconds: Double) {
    let end = Date().addingTimeInterval(seconds)
    while !isStopped, Date() < end { usleep(50_000) }
  }

  /// Sends `bytes` whole (a write blocked for 1 s on a full socket counts as not sent).
  private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let count = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      guard count > 0 else { return false }
      offset += count
    }
    return true
  }

  /// A TCP connection from ``source`` to 127.0.0.1:``port``, with 1 s write timeouts.
  private func connect() -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    var timeout = timeval(tv_sec: 1, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var local = sockaddr_in()
    local.sin_family = sa_family_t(AF_INET)
    local.sin_addr.s_addr = inet_addr(source)
    var remote = sockaddr_in()
    remote.sin_family = sa_family_t(AF_INET)
    remote.sin_addr.s_addr = inet_addr("127.0.0.1")
    remote.sin_port = in_port_t(UInt16(port).bigEndian)
    let ok = withUnsafePointer(to: &local) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    let connected = withUnsafePointer(to: &remote) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard ok == 0, connected == 0 else {
      close(fd)
      return nil
    }
    return fd
  }
}

/// Latencies of a probe repeated for a while: what a health checker sees.
struct ProbeLatencies {
  /// Seconds each probe took; a failed probe counts as `.infinity`.
  private(set) var samples: [Double] = []

  /// Runs `probe` (true when it got the right answer) every 50 ms for `seconds`.
  init(seconds: Double, _ probe: () -> Bool) {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
      let start = Date()
      let ok = probe()
      samples.append(ok ? Date().timeIntervalSince(start) : .infinity)
      usleep(50_000)
    }
  }

  /// The 99th percentile (nearest rank).
  var p99: Double {
    let sorted = samples.sorted()
    guard !sorted.isEmpty else { return .infinity }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)]
  }

  var failures: Int { samples.filter { $0 == .infinity }.count }
}
