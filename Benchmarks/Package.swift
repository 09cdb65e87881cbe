// swift-tools-version:6.1
import PackageDescription

/// Benchmarks of the Parquet writer (STYLE.md §9): a package of its own so that the project's
/// build and CI never resolve ordo-one/benchmark. `make bench` runs it through Benchmarks/run.sh.
let package = Package(
    name: "laketap-benchmarks",
    dependencies: [
        .package(name: "laketap", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        /// Seeded data generation shared by the suite and the head-to-head tool.
        .target(
            name: "BenchSupport",
            dependencies: [.product(name: "Parquet", package: "laketap")],
            path: "Sources/BenchSupport"
        ),
        /// ordo-one/benchmark suite: encoding throughput per type, encoding and codec.
        .executableTarget(
            name: "ParquetEncodeBenchmarks",
            dependencies: [
                "BenchSupport",
                .product(name: "Parquet", package: "laketap"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ParquetEncodeBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        /// Release-mode throughput of the JSON scanner and framer on NDJSON files.
        .executableTarget(
            name: "jsonscan-bench",
            dependencies: [.product(name: "JSONScan", package: "laketap")],
            path: "Sources/jsonscan-bench"
        ),
        /// Head-to-head with pyarrow (compare_pyarrow.py drives it).
        .executableTarget(
            name: "parquet-write-bench",
            dependencies: ["BenchSupport", .product(name: "Parquet", package: "laketap")],
            path: "Sources/parquet-write-bench"
        ),
    ]
)
