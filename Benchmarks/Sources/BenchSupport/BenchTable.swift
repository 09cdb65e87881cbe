public import Parquet

/// A deterministic in-memory table: a schema and one ``ColumnBatch`` per leaf, ready for
/// `ParquetFileWriter.write(_:)`.
public struct BenchTable: Sendable {
    public var schema: ParquetSchema
    public var batches: [ColumnBatch]
    public var rows: Int

    public init(schema: ParquetSchema, batches: [ColumnBatch], rows: Int) {
        self.schema = schema
        self.batches = batches
        self.rows = rows
    }

    /// Bytes of the values and levels as held in memory (8 per INT64/DOUBLE, 1 per BOOLEAN and
    /// level, payload plus a 4-byte offset per BYTE_ARRAY value), the denominator of the suite's
    /// throughput figures.
    public var inMemoryBytes: Int {
        self.batches.reduce(0) { total, batch in
            let values: Int
            switch batch.values {
            case .boolean(let v): values = v.count
            case .int32(let v): values = 4 * v.count
            case .int64(let v): values = 8 * v.count
            case .float(let v): values = 4 * v.count
            case .double(let v): values = 8 * v.count
            case .byteArray(let b), .fixedLenByteArray(let b): values = b.bytes.count + 4 * b.count
            }
            return total + values + batch.definitionLevels.count + batch.repetitionLevels.count
        }
    }

    /// Writes the whole table to a new in-memory file and returns its size in bytes.
    @discardableResult
    public func writeToMemory(options: WriterOptions) throws(ParquetError) -> Int {
        let writer = try ParquetFileWriter(schema: self.schema, options: options, sink: MemorySink())
        try writer.write(self.batches)
        return Int(try writer.finish().byteCount)
    }

    /// Writes the whole table to `path`.
    @discardableResult
    public func writeToFile(_ path: String, options: WriterOptions) throws(ParquetError) -> Int {
        let writer = try ParquetFileWriter(schema: self.schema, options: options, sink: try FileSink(path: path))
        try writer.write(self.batches)
        return Int(try writer.finish().byteCount)
    }
}

/// Single-column tables, one per physical type and value shape, for the encoding suite.
public enum ColumnTables {
    /// Microsecond timestamps, increasing by 0–1999 µs: INT64 with small deltas, all distinct.
    public static func timestamps(rows: Int, seed: UInt64 = 1) -> BenchTable {
        var rng = SplitMix64(seed: seed)
        var t: Int64 = 1_767_225_600_000_000
        var values = [Int64]()
        values.reserveCapacity(rows)
        for _ in 0..<rows {
            t += Int64(rng.below(2000))
            values.append(t)
        }
        return single(.timestamp("time", unit: .micros, .required), .int64(values), rows)
    }

    /// User ids drawn from 0..<5,000,000: INT64 without order, too many distinct values for a dictionary.
    public static func int64Random(rows: Int, seed: UInt64 = 2) -> BenchTable {
        var rng = SplitMix64(seed: seed)
        let values = (0..<rows).map { _ in Int64(rng.below(5_000_000)) }
        return single(.int64("user_id", .required), .int64(values), rows)
    }

    /// HTTP status codes as INT64: 17 distinct values, the dictionary's best case.
    public static func int64LowCardinality(rows: Int, seed: UInt64 = 3) -> BenchTable {
        var rng = SplitMix64(seed: seed)
        let values = (0..<rows).map { _ in Int64(Vocabulary.httpStatus[rng.weighted(Vocabulary.httpWeights)]) }
        return single(.int64("status", .required), .int64(values), rows)
    }

    /// Latencies in milliseconds, exponential with mean 50, rounded to µs: DOUBLE, mostly distinct.
    public static func doubles(rows: Int, seed: UInt64 = 4) -> BenchTable {
        var rng = SplitMix64(seed: seed)
        let values = (0..<rows).map { _ in ((-50.0 * log1p(-rng.unit())) * 1000).rounded() / 1000 }
        return single(.double("latency_ms", .required), .double(values), rows)
    }

    /// Service names: BYTE_ARRAY strings, 66 distinct values of 6–20 bytes.
    public static func stringsLowCardinality(rows: Int, seed: UInt64 = 5) -> BenchTable {
        var rng = SplitMix64(seed: seed)
        var buffer = ByteArrayBuffer(reservingCapacity: rows, bytes: rows * 16)
        for _ in 0..<rows { buffer.append(Vocabulary.services[rng.below(Vocabulary.services.count)]) }
        return single(.string("service", .required), .byteArray(buffer), rows)
    }

    /// Log messages: BYTE_ARRAY strings of 40–300 bytes (mean ≈ 170), nearly all distinct.
    public static func stringsHighCardinality(rows: Int, seed: UInt64 = 6) -> BenchTable {
        var rng = SplitMix64(seed: seed)
        var bytes = [UInt8]()
        bytes.reserveCapacity(rows * 175)
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(rows + 1)
        for _ in 0..<rows {
            rng.message(into: &bytes)
            offsets.append(Int32(bytes.count))
        }
        return single(.string("message", .required), .byteArray(ByteArrayBuffer(bytes: bytes, offsets: offsets)), rows)
    }

    /// URL paths sharing long prefixes (`/api/v2/orders/1234/items/56`): DELTA_BYTE_ARRAY's case.
    public static func stringsSharedPrefix(rows: Int, seed: UInt64 = 7) -> BenchTable {
        var rng = SplitMix64(seed: seed)
        var buffer = ByteArrayBuffer(reservingCapacity: rows, bytes: rows * 32)
        let resources = ["orders", "customers", "invoices", "shipments", "carts"]
        var order = 100_000
        for _ in 0..<rows {
            order += rng.below(3)
            let resource = resources[rng.below(resources.count)]
            buffer.append("/api/v2/\(resource)/\(order)/items/\(rng.below(100))")
        }
        return single(.string("path", .required), .byteArray(buffer), rows)
    }

    /// A success flag, true 90% of the time.
    public static func booleans(rows: Int, seed: UInt64 = 8) -> BenchTable {
        var rng = SplitMix64(seed: seed)
        let values = (0..<rows).map { _ in rng.chance(0.9) }
        return single(.boolean("ok", .required), .boolean(values), rows)
    }

    /// `list<string>` tags: 20% null lists, otherwise 0–4 of 30 tags (optional list, optional element).
    public static func stringLists(rows: Int, seed: UInt64 = 9) -> BenchTable {
        var rng = SplitMix64(seed: seed)
        var tags = ColumnBuilder(rows: rows, valueBytes: 16)
        for _ in 0..<rows { tags.appendTags(&rng) }
        let schema = try! ParquetSchema([.list("tags", element: .string("element"))])
        return BenchTable(schema: schema, batches: [tags.batch], rows: rows)
    }

    static func single(_ field: Field, _ values: ColumnValues, _ rows: Int) -> BenchTable {
        let schema = try! ParquetSchema([field])
        return BenchTable(schema: schema, batches: [ColumnBatch(values: values)], rows: rows)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Levels and BYTE_ARRAY values of one leaf, appended row by row.
struct ColumnBuilder {
    var bytes: [UInt8] = []
    var offsets: [Int32] = [0]
    var definitionLevels: [UInt8] = []
    var repetitionLevels: [UInt8] = []

    init(rows: Int, valueBytes: Int) {
        self.bytes.reserveCapacity(rows * valueBytes)
        self.offsets.reserveCapacity(rows + 1)
    }

    mutating func appendValue(_ s: String) {
        self.bytes.append(contentsOf: s.utf8)
        self.offsets.append(Int32(self.bytes.count))
    }

    mutating func endValue() { self.offsets.append(Int32(self.bytes.count)) }

    /// One row of `tags`: optional list (def 0 null, 1 empty) of optional strings (def 3).
    mutating func appendTags(_ rng: inout SplitMix64) {
        if rng.chance(0.2) {
            self.definitionLevels.append(0)
            self.repetitionLevels.append(0)
            return
        }
        let count = rng.below(5)
        if count == 0 {
            self.definitionLevels.append(1)
            self.repetitionLevels.append(0)
            return
        }
        for i in 0..<count {
            self.definitionLevels.append(3)
            self.repetitionLevels.append(i == 0 ? 0 : 1)
            self.appendValue(Vocabulary.tags[rng.below(Vocabulary.tags.count)])
        }
    }

    var batch: ColumnBatch {
        ColumnBatch(
            values: .byteArray(ByteArrayBuffer(bytes: self.bytes, offsets: self.offsets)),
            definitionLevels: self.definitionLevels,
            repetitionLevels: self.repetitionLevels
        )
    }
}
