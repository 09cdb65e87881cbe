// Encoding throughput of the Parquet writer, per physical type, per encoding and per codec.
// Every benchmark writes a fixed table generated with a seeded SplitMix64 (BenchSupport) to a
// MemorySink; one iteration = one whole file (write + finish) of 100,000 rows. `throughput` is
// files per second: multiply by 100,000 for rows/s. CI checks mallocCountTotal against
// Benchmarks/Thresholds/ (allocation counts are deterministic); wall clock is for people.
import Benchmark
import BenchSupport
import Parquet

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1,
        maxDuration: .seconds(2),
        maxIterations: 50,
        thresholds: [
            // Allocation counts are deterministic up to hashing (a few per mille run to run); allow 5%.
            .mallocCountTotal: BenchmarkThresholds(relative: [.p90: 5.0], absolute: [.p90: 20])
        ]
    )

    let rows = 100_000

    /// Registers one benchmark that writes `table` with `options`.
    func encode(_ name: String, _ table: BenchTable, _ options: WriterOptions) {
        // The name is also the threshold file's name, Thresholds/ParquetEncodeBenchmarks.<name>.p90.json:
        // keep it stable, and free of "/" and spaces, which `thresholds update` writes as "_" but
        // `thresholds check` reads as they are (ordo-one/benchmark 1.38.1).
        let name = name.replacingOccurrences(of: "/", with: ".").replacingOccurrences(of: " ", with: "-")
        Benchmark(name) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try table.writeToMemory(options: options))
            }
        }
    }

    func options(
        compression: Compression = .uncompressed,
        dictionary: Bool = true,
        encoding: Encoding? = nil,
        column: String? = nil
    ) -> WriterOptions {
        var options = WriterOptions()
        options.compression = compression
        options.dictionaryEnabled = dictionary
        if let encoding, let column {
            options.columns[column] = ColumnOptions(dictionaryEnabled: dictionary, encoding: encoding)
        }
        return options
    }

    let timestamps = ColumnTables.timestamps(rows: rows)
    let userIDs = ColumnTables.int64Random(rows: rows)
    let statusCodes = ColumnTables.int64LowCardinality(rows: rows)
    let latencies = ColumnTables.doubles(rows: rows)
    let services = ColumnTables.stringsLowCardinality(rows: rows)
    let messages = ColumnTables.stringsHighCardinality(rows: rows)
    let paths = ColumnTables.stringsSharedPrefix(rows: rows)
    let flags = ColumnTables.booleans(rows: rows)
    let tags = ColumnTables.stringLists(rows: rows)
    let logs = LogTable.make(rows: rows)

    // Per physical type: the writer's defaults (dictionary first, PLAIN fallback), uncompressed
    // so that the codec does not hide the encoder.
    encode("Type/INT64 timestamps", timestamps, options())
    encode("Type/INT64 random", userIDs, options())
    encode("Type/DOUBLE", latencies, options())
    encode("Type/BYTE_ARRAY low-cardinality", services, options())
    encode("Type/BYTE_ARRAY high-cardinality", messages, options())
    encode("Type/BOOLEAN", flags, options())
    encode("Type/list-of-string", tags, options())

    // Per encoding: one column, uncompressed, dictionary off except for the dictionary rows.
    encode("Encoding/dictionary INT64 low-cardinality", statusCodes, options())
    encode("Encoding/dictionary BYTE_ARRAY low-cardinality", services, options())
    encode("Encoding/PLAIN INT64", timestamps, options(dictionary: false))
    encode("Encoding/PLAIN DOUBLE", latencies, options(dictionary: false))
    encode("Encoding/PLAIN BYTE_ARRAY", messages, options(dictionary: false))
    encode(
        "Encoding/DELTA_BINARY_PACKED INT64", timestamps,
        options(dictionary: false, encoding: .deltaBinaryPacked, column: "time"))
    encode(
        "Encoding/DELTA_LENGTH_BYTE_ARRAY", messages,
        options(dictionary: false, encoding: .deltaLengthByteArray, column: "message"))
    encode(
        "Encoding/DELTA_BYTE_ARRAY messages", messages,
        options(dictionary: false, encoding: .deltaByteArray, column: "message"))
    encode(
        "Encoding/DELTA_BYTE_ARRAY url paths", paths,
        options(dictionary: false, encoding: .deltaByteArray, column: "path"))
    encode(
        "Encoding/BYTE_STREAM_SPLIT DOUBLE", latencies,
        options(dictionary: false, encoding: .byteStreamSplit, column: "latency_ms"))

    // Per codec: the 14-leaf log table with the default encodings.
    let codecs: [Compression] = [.uncompressed, .snappy, .gzip(level: 6), .zstd(level: 1), .zstd(level: 3), .lz4Raw, .brotli(quality: 4)]
    for codec in codecs {
        encode("Codec/\(codec.description.replacingOccurrences(of: ":", with: "-")) logs", logs, options(compression: codec))
    }
}
