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
        .library(name: "LaketapStorage", targets: ["LaketapStorage"]),
        .library(name: "LaketapPipeline", targets: ["LaketapPipeline"]),
        .library(name: "LaketapServer", targets: ["LaketapServer"]),
        .executable(name: "laketap", targets: ["laketap"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.3.0"),
    ],
    targets: [
        systemLibrary("CZstd", apt: ["libzstd-dev"]),
        systemLibrary("CLZ4", apt: ["liblz4-dev"]),
        systemLibrary("CBrotli", apt: ["libbrotli-dev"]),
        systemLibrary("CZlib", apt: ["zlib1g-dev"]),
        systemLibrary("CSnappy", apt: ["libsnappy-dev"]),
        /// glibc's `<malloc.h>` (`mallopt`), which the Glibc module does not include.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .target(
            name: "Parquet",
            dependencies: ["CZstd", "CLZ4", "CBrotli", "CZlib", "CSnappy", "CIntrinsics", "CSyscalls"]
        ),
        /// System calls Swift's Glibc module does not declare (`sync_file_range`).
        .target(name: "CSyscalls"),
        /// CPU instructions Swift has no spelling for: a cache prefetch hint (inlined from C) and the
        /// AVX-512 run of a JSON string (compiled for those features, used where the CPU has them).
        .target(name: "CIntrinsics"),
        /// Byte-level JSON scanner and NDJSON framing; standard library, libc (`memchr`) and CIntrinsics only.
        .target(name: "JSONScan", dependencies: ["CIntrinsics"]),
        .target(
            name: "LaketapConvert",
            dependencies: [
                "Parquet", "JSONScan", "CZlib", "CZstd",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        /// Object stores: the `ObjectStore` protocol, `LocalStore`, `S3Store` (SigV4 on swift-crypto, AsyncHTTPClient).
        .target(
            name: "LaketapStorage",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        /// CRC-32C for the write-ahead log (SSE4.2 when the CPU has it).
        .target(name: "CCRC32C"),
        /// The durable buffer (write-ahead log with group commit), flush policy, conversion of flushed
        /// segments into partitioned Parquet files, the committer and the dead-letter queue.
        .target(
            name: "LaketapPipeline",
            dependencies: [
                "LaketapConvert", "LaketapStorage", "Parquet", "JSONScan", "CCRC32C",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        /// Hummingbird routes: ingest, flush, health, readiness and Prometheus metrics.
        .target(
            name: "LaketapServer",
            dependencies: [
                "LaketapPipeline", "LaketapConvert", "LaketapStorage", "JSONScan",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        /// Test helpers shipped as a product: workload generators (standard library only) and the HTTP load
        /// generator (AsyncHTTPClient).
        .target(
            name: "LaketapTesting",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "laketap",
            dependencies: [
                "Parquet",
                "JSONScan",
                "LaketapConvert",
                "LaketapTesting",
                "LaketapStorage",
                "LaketapPipeline",
                "LaketapServer",
                "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
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
            name: "LaketapStorageTests",
            dependencies: [
                "LaketapStorage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "LaketapPipelineTests",
            dependencies: [
                "LaketapPipeline", "LaketapStorage", "LaketapConvert", "Parquet", "CCRC32C",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "LaketapServerTests",
            dependencies: [
                "LaketapServer", "LaketapPipeline", "LaketapStorage", "JSONScan", "CZlib", "CZstd",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "LaketapTestingTests",
            dependencies: ["LaketapTesting"]
        ),
        .testTarget(
            name: "JSONScanTests",
            dependencies: ["JSONScan", "CIntrinsics"],
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
