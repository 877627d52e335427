// swift-tools-version:6.1
import PackageDescription

/// libFuzzer targets for BLS's parsers and its payment decision, in a package of their own so
/// that `swift build` and `swift test` of the main package never build them. Built and run by
/// `Fuzz/run.sh` (`make fuzz`) with `-sanitize=fuzzer,address`; see README.md.
let package = Package(
  name: "bls-fuzz",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "bls", path: "..")
  ],
  targets: [
    // libFuzzer's driver, declared for Swift (SwiftPM owns `main`, see main.swift).
    .target(name: "LibFuzzerDriver"),
    .executableTarget(
      name: "fuzz-fastcgi", dependencies: ["LibFuzzerDriver", .product(name: "FastCGIWire", package: "bls")]),
    .executableTarget(
      name: "fuzz-json", dependencies: ["LibFuzzerDriver", .product(name: "JSON", package: "bls")]),
    .executableTarget(
      name: "fuzz-toon",
      dependencies: ["LibFuzzerDriver", .product(name: "TOON", package: "bls"), .product(name: "JSON", package: "bls")]),
    .executableTarget(
      name: "fuzz-payment",
      dependencies: [
        "LibFuzzerDriver", .product(name: "BLSApp", package: "bls"), .product(name: "Nostr", package: "bls"),
        .product(name: "JSON", package: "bls"),
      ]),
  ],
  swiftLanguageModes: [.v6]
)
