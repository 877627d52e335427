// swift-tools-version:6.1
import PackageDescription

/// Micro-benchmarks of BLS's hot path, in a package of their own so the main package gains
/// no dependency. A plain executable that times loops with `ContinuousClock` and prints
/// ns/op (see README.md):
///
///     swift run -c release --package-path bench/micro bls-micro [--filter NAME] [--quick]
let package = Package(
  name: "bls-micro",
  dependencies: [
    .package(name: "bls", path: "../.."),
    .package(url: "https://github.com/swift-extras/swift-extras-base64", from: "1.2.0"),
  ],
  targets: [
    .executableTarget(
      name: "bls-micro",
      dependencies: [
        .product(name: "JSON", package: "bls"),
        .product(name: "TOON", package: "bls"),
        .product(name: "Nostr", package: "bls"),
        .product(name: "BLSApp", package: "bls"),
        .product(name: "BLSStore", package: "bls"),
        .product(name: "ExtrasBase64", package: "swift-extras-base64"),
      ])
  ],
  swiftLanguageModes: [.v6]
)
