public import JSONScan
public import Parquet

/// Converts JSON records to one Parquet file: shreds each record into column buffers, hands them to
/// the Parquet writer in batches, and reports each rejected record with its reason.
///
/// Memory stays bounded by one batch of shredded records plus the writer's row group in progress.
public final class RecordConverter<Sink: ParquetSink> {
    public struct Statistics: Sendable, Hashable {
        public var recordsIn = 0
        public var recordsWritten = 0
        public var recordsRejected = 0
        public var rejectionsByCode: [String: Int] = [:]

        /// Counts one rejected record under its reason.
        public mutating func countRejection(_ rejection: RecordRejection) {
            self.recordsRejected += 1
            self.rejectionsByCode["\(rejection.code)", default: 0] += 1
        }

        /// Takes back one ``countRejection(_:)`` of `rejection`.
        mutating func uncountRejection(_ rejection: RecordRejection) {
            self.recordsRejected -= 1
            let code = "\(rejection.code)"
            self.rejectionsByCode[code, default: 1] -= 1
            if self.rejectionsByCode[code] == 0 { self.rejectionsByCode[code] = nil }
        }
    }

    public let schema: StreamSchema
    // Without dynamic exclusivity checks: both are touched for every record, the converter is used
    // from one thread at a time (it is not `Sendable`), and no access to them overlaps another (none
    // calls back into the converter).
    @exclusivity(unchecked) public private(set) var statistics = Statistics()
    @exclusivity(unchecked) private var shredder: JSONShredder
    private let writer: ParquetFileWriter<Sink>
    /// Records shredded between hand-overs to the writer.
    private let batchRecords: Int
    private let batchBytes: Int

    public init(
        schema: StreamSchema,
        options: WriterOptions = WriterOptions(),
        sink: Sink,
        scanOptions: JSONScanOptions = JSONScanOptions(),
        batchRecords: Int = 16_384,
        batchBytes: Int = 16 << 20
    ) throws(ParquetError) {
        self.schema = schema
        self.shredder = try JSONShredder(schema: schema, scanOptions: scanOptions)
        self.writer = try ParquetFileWriter(schema: self.shredder.parquetSchema, options: options, sink: sink)
        self.batchRecords = batchRecords
        self.batchBytes = batchBytes
    }

    public var parquetSchema: ParquetSchema { self.shredder.parquetSchema }

    /// Adds one record; returns why it was rejected, or nil when it was accepted.
    @discardableResult
    public func append(
        _ record: UnsafeRawBufferPointer,
        line: Int = 1,
        byteOffset: Int = 0
    ) throws(ParquetError) -> RecordRejection? {
        self.statistics.recordsIn += 1
        do {
            try self.shredder.append(record, line: line, byteOffset: byteOffset)
        } catch {
            self.statistics.countRejection(error)
            return error
        }
        self.statistics.recordsWritten += 1
        // The buffered size sums every column: checked every 64 records, not per record (where a batch
        // ends does not change the file).
        let count = self.shredder.recordCount
        if count >= self.batchRecords || (count & 63 == 0 && self.shredder.bufferedBytes >= self.batchBytes) {
            var batches = self.shredder.makeBatches()
            try self.writer.write(batches)
            self.shredder.recycle(&batches)
        }
        return nil
    }

    /// Counts a record that failed before shredding (for example a framing error).
    public func reject(_ rejection: RecordRejection) {
        self.statistics.recordsIn += 1
        self.statistics.countRejection(rejection)
    }

    /// Takes back a rejection ``append(_:line:byteOffset:)`` returned and counted, for bytes that turn out
    /// to be several records (added again one by one). The rejected record left nothing in the file.
    public func withdraw(_ rejection: RecordRejection) {
        self.statistics.recordsIn -= 1
        self.statistics.uncountRejection(rejection)
    }

    /// Bytes held in memory, roughly: shredded records not handed to the writer yet plus the writer's
    /// row group in progress. Sums over the columns, so callers check it now and then, not per record.
    public var bufferedBytes: Int {
        self.shredder.bufferedBytes + self.writer.inProgressBytes
    }

    /// Hands the shredded records to the writer and ends its row group, freeing the memory they held.
    public func flushRowGroup() throws(ParquetError) {
        if self.shredder.recordCount > 0 { try self.writer.write(self.shredder.makeBatches()) }
        try self.writer.flushRowGroup()
    }

    /// Writes what is buffered, the footer, and finishes the sink.
    @discardableResult
    public func finish() throws(ParquetError) -> ParquetFileSummary {
        if self.shredder.recordCount > 0 { try self.writer.write(self.shredder.makeBatches()) }
        return try self.writer.finish()
    }

    /// The sink, for a MemorySink's bytes after ``finish()``.
    public var sink: Sink { self.writer.sink }
}
