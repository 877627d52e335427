// swift-tools-version:6.1
import PackageDescription

/// BLS — the Business Logic Server. Targets are split by concern:
/// C libraries from Debian as system library targets, pure-Swift cores (JSON, TOON, Nostr,
/// BLSApp) with no I/O, and the adapters (BLSStore over SQLite, BLSFastCGI over libfcgi)
/// at the edge. `bls-fcgi` is the one executable.
let package = Package(
  name: "bls",
  platforms: [.macOS(.v14)],
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
      name: "CFastCGI", pkgConfig: "fcgi",
      providers: [.apt(["libfcgi-dev"])]),

    // Pure-Swift cores.
    .target(name: "JSON"),
    .target(name: "TOON", dependencies: ["JSON"]),
    .target(name: "Nostr", dependencies: ["JSON", "CSecp256k1", "CLibCrypto"]),
    .target(
      name: "BLSApp",
      dependencies: [
        "JSON", "TOON", "Nostr",
        .product(name: "ExtrasBase64", package: "swift-extras-base64"),
      ]),

    // The FastCGI record layer (FastCGI 1.0): records, name-value pairs, the per-connection
    // parser and the response encoder. Pure: no I/O, no Foundation, no dependencies.
    .target(name: "FastCGIWire"),

    // POSIX threads, locks and a blocking queue, shared by the adapters (no Foundation).
    .target(name: "Threads"),

    // Adapters.
    .target(name: "BLSStore", dependencies: ["Nostr", "JSON", "CSQLite", "Threads"]),
    .target(name: "BLSFastCGI", dependencies: ["BLSApp", "CFastCGI", "Threads"]),
    .executableTarget(
      name: "bls-fcgi",
      dependencies: [
        "BLSApp", "BLSStore", "BLSFastCGI", "TOON", "Nostr", "JSON", "Threads",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "ExtrasBase64", package: "swift-extras-base64"),
      ]),

    // Store proof tools: the crash-test child and the group-commit benchmark.
    .executableTarget(name: "bls-store-torture", dependencies: ["BLSStore", "Nostr"]),
    .executableTarget(
      name: "bls-store-bench", dependencies: ["BLSStore", "Nostr"], path: "bench/store",
      exclude: ["README.md"]),

    // Tests. BLSTestSupport locates Tests/Fixtures and reads the payment cases for every suite.
    .target(name: "BLSTestSupport", dependencies: ["JSON"], path: "Tests/BLSTestSupport"),
    .testTarget(name: "JSONTests", dependencies: ["BLSTestSupport", "JSON"]),
    .testTarget(name: "TOONTests", dependencies: ["BLSTestSupport", "TOON", "JSON"]),
    .testTarget(name: "FastCGIWireTests", dependencies: ["BLSTestSupport", "FastCGIWire"]),
    .testTarget(name: "NostrTests", dependencies: ["BLSTestSupport", "Nostr", "JSON"]),
    .testTarget(
      name: "BLSAppTests",
      dependencies: [
        "BLSTestSupport",
        "BLSApp", "Nostr", "TOON", "JSON",
        .product(name: "ExtrasBase64", package: "swift-extras-base64"),
      ]),
    .testTarget(
      name: "CLITests",
      dependencies: [
        "BLSApp", "Nostr", "TOON", "JSON",
        .product(name: "ExtrasBase64", package: "swift-extras-base64"),
      ]),
    .testTarget(name: "BLSStoreTests", dependencies: ["BLSTestSupport", "BLSStore", "Nostr", "JSON"]),
    .testTarget(
      name: "IntegrationTests", dependencies: ["BLSTestSupport", "BLSApp", "Nostr", "JSON", "BLSFastCGI"]),
  ],
  swiftLanguageModes: [.v6]
)
