// swift-tools-version:6.1
import PackageDescription

/// BLS — the Business Logic Server. Targets are split by concern:
/// C libraries from Debian as system library targets, pure-Swift cores (HTTPCore, JSON, TOON,
/// Nostr, FastCGIWire, BLSApp) with no I/O, shared utilities (Threads, ProcessSupport), and
/// the adapters (BLSStore over SQLite, BLSFastCGI over FastCGIWire and epoll) at the edge.
/// `bls-fcgi` is the one executable.
///
/// Linux only (Debian 12 is what CI and the image build on): the transport uses epoll and
/// eventfd, the supervisor prctl(PR_SET_PDEATHSIG), and the code imports Glibc.
let package = Package(
  name: "bls",
  products: [
    .executable(name: "bls-fcgi", targets: ["bls-fcgi"]),
    .library(name: "TOON", targets: ["TOON"]),
    .library(name: "Nostr", targets: ["Nostr"]),
    // For bench/micro (a package of its own that depends on this one by path).
    .library(name: "JSON", targets: ["JSON"]),
    .library(name: "BLSApp", targets: ["BLSApp"]),
    .library(name: "BLSStore", targets: ["BLSStore"]),
    // For Fuzz (a package of its own, built only by Fuzz/run.sh with libFuzzer).
    .library(name: "FastCGIWire", targets: ["FastCGIWire"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/swift-extras/swift-extras-base64", from: "1.2.0"),
  ],
  targets: [
    // C libraries (Debian -dev packages, found through pkg-config).
    .systemLibrary(
      name: "CSecp256k1", pkgConfig: "libsecp256k1",
      providers: [.apt(["libsecp256k1-dev"])]),
    .systemLibrary(
      name: "CLibCrypto", pkgConfig: "libcrypto",
      providers: [.apt(["libssl-dev"])]),
    .systemLibrary(
      name: "CSQLite", pkgConfig: "sqlite3",
      providers: [.apt(["libsqlite3-dev"])]),
    .systemLibrary(
      name: "CPostgres", pkgConfig: "libpq",
      providers: [.apt(["libpq-dev"])]),
    // Linux calls Swift cannot make directly (epoll's packed struct, fork/exec): C inlines.
    .systemLibrary(name: "CLinux"),

    // Shared utilities (no Foundation). Threads: POSIX threads, state inside its lock
    // (`Locked`, for waits; `Mutex` elsewhere) and a blocking queue. ProcessSupport: logging,
    // the monotonic clock, signals, the environment, files, spawning child processes.
    .target(name: "Threads"),
    .target(name: "ProcessSupport", dependencies: ["CLinux", "JSON"]),

    // Pure-Swift cores. HTTPCore: the HTTP request and response a transport hands an
    // application and back (no I/O, no dependencies).
    .target(name: "HTTPCore"),
    // Prometheus metrics (issue 13): lock-free counters and histograms, the text format 0.0.4
    // and the registry a `/metrics` page is rendered from. Pure: no I/O, no dependencies.
    .target(name: "BLSMetrics"),
    .target(name: "JSON"),
    .target(name: "TOON", dependencies: ["JSON"]),
    .target(name: "Nostr", dependencies: ["JSON", "CSecp256k1", "CLibCrypto", "Threads"]),
    .target(
      name: "BLSApp",
      dependencies: [
        "HTTPCore", "JSON", "TOON", "Nostr", "Threads", "BLSMetrics",
        .product(name: "ExtrasBase64", package: "swift-extras-base64"),
      ]),

    // The FastCGI record layer (FastCGI 1.0): records, name-value pairs, the per-connection
    // parser and the response encoder. Pure: no I/O, no Foundation, no dependencies.
    .target(name: "FastCGIWire"),

    // Adapters.
    .target(
      name: "BLSStore", dependencies: ["Nostr", "JSON", "CSQLite", "Threads", "ProcessSupport", "BLSMetrics"]),
    // PostgreSQL for several nodes sharing one database (DATABASE_URL), through libpq.
    .target(
      name: "BLSPostgres", dependencies: ["Nostr", "JSON", "CPostgres", "Threads", "ProcessSupport", "BLSMetrics"]),
    .target(
      name: "BLSFastCGI", dependencies: ["HTTPCore", "FastCGIWire", "CLinux", "Threads", "ProcessSupport"]),
    .executableTarget(
      name: "bls-fcgi",
      dependencies: [
        "BLSApp", "BLSStore", "BLSPostgres", "BLSFastCGI", "HTTPCore", "TOON", "Nostr", "JSON", "Threads",
        "ProcessSupport", "BLSMetrics",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "ExtrasBase64", package: "swift-extras-base64"),
      ],
      plugins: ["EmbedNginxTemplate"]),
    // nginx/bls.conf.template compiled into bls-fcgi as a string at build time (one source).
    .executableTarget(name: "embed-text", dependencies: ["ProcessSupport"]),
    .plugin(name: "EmbedNginxTemplate", capability: .buildTool(), dependencies: ["embed-text"]),

    // Store proof tools: the crash-test child and the group-commit benchmark.
    .executableTarget(name: "bls-store-torture", dependencies: ["BLSStore", "Nostr", "Threads"]),
    .executableTarget(
      name: "bls-store-bench", dependencies: ["BLSStore", "Nostr"], path: "bench/store",
      exclude: ["README.md"]),

    // Tests. BLSTestSupport locates Tests/Fixtures and reads the payment cases for every suite.
    .target(name: "BLSTestSupport", dependencies: ["JSON", "Nostr"], path: "Tests/BLSTestSupport"),
    .testTarget(name: "JSONTests", dependencies: ["BLSTestSupport", "JSON"]),
    .testTarget(name: "TOONTests", dependencies: ["BLSTestSupport", "TOON", "JSON"]),
    .testTarget(name: "FastCGIWireTests", dependencies: ["BLSTestSupport", "FastCGIWire"]),
    .testTarget(name: "NostrTests", dependencies: ["BLSTestSupport", "Nostr", "JSON"]),
    .testTarget(
      name: "BLSAppTests",
      dependencies: [
        "BLSTestSupport",
        "BLSApp", "Nostr", "TOON", "JSON", "Threads",
        .product(name: "ExtrasBase64", package: "swift-extras-base64"),
      ]),
    .testTarget(
      name: "CLITests",
      dependencies: [
        "BLSTestSupport", "BLSApp", "Nostr", "TOON", "JSON",
        .product(name: "ExtrasBase64", package: "swift-extras-base64"),
      ]),
    // The executable's own logic (progress display, line reader, start-up watch), in-process.
    .testTarget(name: "BLSCommandTests", dependencies: ["bls-fcgi", "BLSStore"]),
    .testTarget(
      name: "BLSStoreTests", dependencies: ["BLSTestSupport", "BLSStore", "Nostr", "JSON", "Threads"]),
    .testTarget(
      name: "BLSPostgresTests",
      dependencies: ["BLSTestSupport", "BLSPostgres", "BLSMetrics", "Nostr", "JSON", "Threads"]),
    // The event lifecycle (issue 14) once for every store: SQLite, in memory, PostgreSQL.
    .testTarget(
      name: "StoreLifecycleTests",
      dependencies: ["BLSTestSupport", "BLSStore", "BLSPostgres", "Nostr", "Threads"]),
    .testTarget(name: "HTTPCoreTests", dependencies: ["HTTPCore"]),
    // Metrics against the real application and store, and the examples/ that name them.
    .testTarget(
      name: "MetricsTests",
      dependencies: [
        "BLSTestSupport", "BLSMetrics", "BLSApp", "BLSStore", "Nostr", "TOON", "JSON",
        .product(name: "ExtrasBase64", package: "swift-extras-base64"),
      ]),
    .testTarget(name: "ThreadsTests", dependencies: ["Threads"]),
    .testTarget(name: "ProcessSupportTests", dependencies: ["ProcessSupport"]),
    .testTarget(name: "BLSFastCGITests", dependencies: ["BLSFastCGI", "FastCGIWire", "HTTPCore"]),
    // The built executables over real sockets, nginx and Apache.
    .testTarget(
      name: "IntegrationTests", dependencies: ["BLSTestSupport", "BLSApp", "Nostr", "TOON", "JSON", "Threads"]),
  ],
  swiftLanguageModes: [.v6]
)
