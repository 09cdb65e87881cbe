// swift-tools-version:6.2
import PackageDescription

/// C libraries come from Debian `-dev` packages; `scripts/install-deps.sh` installs them.
func systemLibrary(_ name: String, apt: [String]) -> Target {
    .systemLibrary(name: name, path: "Sources/\(name)", providers: [.apt(apt)])
}

let package = Package(
    name: "laketap",
    products: [
        .library(name: "Parquet", targets: ["Parquet"]),
        .library(name: "LaketapConvert", targets: ["LaketapConvert"]),
        .library(name: "JSONScan", targets: ["JSONScan"]),
        .library(name: "LaketapTesting", targets: ["LaketapTesting"]),
        .executable(name: "laketap", targets: ["laketap"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        systemLibrary("CZstd", apt: ["libzstd-dev"]),
        systemLibrary("CLZ4", apt: ["liblz4-dev"]),
        systemLibrary("CBrotli", apt: ["libbrotli-dev"]),
        systemLibrary("CZlib", apt: ["zlib1g-dev"]),
        systemLibrary("CSnappy", apt: ["libsnappy-dev"]),
        .target(
            name: "Parquet",
            dependencies: ["CZstd", "CLZ4", "CBrotli", "CZlib", "CSnappy"]
        ),
        /// Byte-level JSON scanner and NDJSON framing; standard library only.
        .target(name: "JSONScan"),
        .target(
            name: "LaketapConvert",
            dependencies: [
                "Parquet", "JSONScan", "CZlib", "CZstd",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        /// Test helpers shipped as a product: workload generators (standard library only) and the HTTP load
        /// generator (FoundationNetworking).
        .target(name: "LaketapTesting"),
        .executableTarget(
            name: "laketap",
            dependencies: [
                "Parquet",
                "JSONScan",
                "LaketapConvert",
                "LaketapTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "parquet-interop-gen",
            dependencies: ["Parquet"],
            path: "Tests/InteropGenerator"
        ),
        .testTarget(
            name: "LaketapConvertTests",
            dependencies: ["LaketapConvert", "Parquet", "JSONScan"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ParquetTests",
            dependencies: ["Parquet"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LaketapTestingTests",
            dependencies: ["LaketapTesting"]
        ),
        .testTarget(
            name: "JSONScanTests",
            dependencies: ["JSONScan"],
            resources: [.copy("Fixtures")]
        ),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(contentsOf: [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
        .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
    ])
    target.swiftSettings = settings
}
