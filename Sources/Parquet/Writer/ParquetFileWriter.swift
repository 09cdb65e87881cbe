/// What a finished file holds.
public struct ParquetFileSummary: Sendable, Hashable {
    public var rowCount: Int64
    public var rowGroupCount: Int
    public var byteCount: Int64
}

/// Writes a Parquet file to a sink, one row group at a time, so memory stays bounded by the row
/// group in progress whatever the file's size.
///
/// ```swift
/// let writer = try ParquetFileWriter(schema: schema, sink: try FileSink(path: "events.parquet"))
/// try writer.write([idColumn, nameColumn])   // one ColumnBatch per leaf column
/// try writer.finish()
/// ```
///
/// Row groups are cut when ``WriterOptions/rowGroupMaxRows`` rows or an estimated
/// ``WriterOptions/rowGroupMaxBytes`` encoded bytes are reached, or on ``flushRowGroup()``. Row groups
/// and pages are cut at the same rows however the rows are split into ``write(_:)`` calls, so the
/// file depends only on the rows (and on explicit ``flushRowGroup()`` calls).
public final class ParquetFileWriter<Sink: ParquetSink> {
    public let schema: ParquetSchema
    public let options: WriterOptions
    public private(set) var sink: Sink

    private let columnWriters: [ColumnWriterSlot]
    private var position: Int64 = 0
    private var rowGroups: [RowGroup] = []
    private var pageIndexes: [[(columnIndex: ColumnIndex?, offsetIndex: OffsetIndex)]] = []
    private var rowGroupRows = 0
    private var totalRows: Int64 = 0
    private var isFinished = false
    /// Rows handed to the column writers between two checks of the row group's size.
    private static var rowsBetweenSizeChecks: Int { 16_384 }
    /// Rows into the row group of its first size check.
    private static var rowsBeforeFirstSizeCheck: Int { 1_024 }
    /// Rows into the row group of its next size check.
    private var nextSizeCheck = ParquetFileWriter.rowsBeforeFirstSizeCheck
    /// Rows between two checks of the pages in progress against ``WriterOptions/pageMemoryBudget``.
    private static var rowsBetweenPageMemoryChecks: Int { 4_096 }
    /// Rows into the row group of its next page memory check.
    private var nextPageMemoryCheck = ParquetFileWriter.rowsBetweenPageMemoryChecks
    /// Columns whose page in progress ends before their next rows (set by a page memory check).
    private var pendingPageCuts: [Bool]
    /// Runs the per-column work on several threads when set; nil runs it on the caller's thread.
    public var columnTaskRunner: (any ColumnTaskRunner)? {
        didSet {
            // Pages waiting for their task hold at most half the budget of the pages in progress.
            let offload = self.columnTaskRunner.map {
                PageCompressionOffload(runner: $0, budget: self.options.pageMemoryBudget / 2)
            }
            for writer in self.columnWriters { writer.compressPages(with: offload) }
        }
    }

    public init(schema: ParquetSchema, options: WriterOptions = WriterOptions(), sink: Sink) throws(ParquetError) {
        self.schema = schema
        self.options = options
        self.sink = sink
        var writers: [ColumnWriterSlot] = []
        for column in schema.columns {
            writers.append(try ColumnWriterSlot(column: column, options: options))
        }
        for path in options.columns.keys where schema.column(named: path) == nil {
            throw ParquetError(
                .invalidArgument,
                "column options name '\(path)', which is not a leaf column of the schema (leaves: \(schema.columns.map(\.dottedPath).joined(separator: ", ")))"
            )
        }
        self.columnWriters = writers
        self.pendingPageCuts = [Bool](repeating: false, count: writers.count)
        try self.emit(Array("PAR1".utf8))
    }

    /// Estimated encoded bytes of the row group in progress.
    public var inProgressBytes: Int {
        self.columnWriters.reduce(0) { $0 + $1.bufferedBytes }
    }

    /// Rows written so far, including the row group in progress.
    public var rowCount: Int64 { self.totalRows }

    /// Appends rows: `columns` holds one batch per leaf column, in schema order, all with the same
    /// number of rows.
    public func write(_ columns: [ColumnBatch]) throws(ParquetError) {
        guard !self.isFinished else { throw ParquetError(.invalidArgument, "the writer is finished") }
        guard columns.count == self.schema.columns.count else {
            throw ParquetError(
                .invalidData,
                "a batch needs \(self.schema.columns.count) columns, one per leaf, but has \(columns.count)"
            )
        }
        var rows = -1
        for (column, batch) in zip(self.schema.columns, columns) {
            let count = try Self.rowCount(of: batch, column: column)
            if rows >= 0 && count != rows {
                throw ParquetError(
                    .invalidData,
                    "column '\(column.dottedPath)' has \(count) rows but '\(self.schema.columns[0].dottedPath)' has \(rows)"
                )
            }
            rows = count
        }
        guard rows > 0 else {
            // No rows: values without levels to place them (an optional column's batch without its
            // definition levels) would be dropped.
            for (column, batch) in zip(self.schema.columns, columns) where batch.values.count > 0 {
                throw Self.unmatchedValues(batch.values.count, column: column)
            }
            return
        }

        // Where each column is in the batch (its slots and values), advanced by its own column task:
        // the slots of the next rows and the values their levels take are found in parallel.
        let cursors = UnsafeMutableBufferPointer<(slot: Int, value: Int)>.allocate(capacity: columns.count)
        cursors.initialize(repeating: (0, 0))
        defer { cursors.deallocate() }
        var written = 0
        while written < rows {
            // Size checks fall on rows that depend only on the rows written, so row groups are cut
            // at the same rows however the caller splits them into batches.
            let take = min(
                rows - written,
                self.options.rowGroupMaxRows - self.rowGroupRows,
                self.nextSizeCheck - self.rowGroupRows,
                self.nextPageMemoryCheck - self.rowGroupRows
            )
            let isLast = take == rows - written
            let cuts = self.pendingPageCuts
            if cuts.contains(true) { self.pendingPageCuts = [Bool](repeating: false, count: cuts.count) }
            try self.forEachColumn { (index) throws(ParquetError) in
                let batch = columns[index]
                let column = self.schema.columns[index]
                let cursor = cursors[index]
                let slotEnd =
                    isLast
                    ? Self.slotCount(of: batch, column: column)
                    : Self.slotIndex(afterRows: take, from: cursor.slot, in: batch, column: column)
                if cuts[index] { try self.columnWriters[index].cutPage() }
                let taken = try self.columnWriters[index].write(
                    batch,
                    slots: cursor.slot..<slotEnd,
                    firstValue: cursor.value
                )
                cursors[index] = (slotEnd, cursor.value + taken)
            }
            written += take
            self.rowGroupRows += take
            self.totalRows += Int64(take)
            if self.rowGroupRows == self.nextPageMemoryCheck {
                self.nextPageMemoryCheck += Self.rowsBetweenPageMemoryChecks
                self.planPageCuts()
            }
            if self.rowGroupRows >= self.options.rowGroupMaxRows {
                try self.flushRowGroup()
            } else if self.rowGroupRows == self.nextSizeCheck {
                let bytes = self.inProgressBytes
                if bytes >= self.options.rowGroupMaxBytes {
                    try self.flushRowGroup()
                } else {
                    self.nextSizeCheck += Self.rowsUntilSizeCheck(
                        bytes: bytes,
                        rows: self.rowGroupRows,
                        maximumBytes: self.options.rowGroupMaxBytes
                    )
                }
            }
        }
        for (index, batch) in columns.enumerated() where cursors[index].value != batch.values.count {
            throw Self.unmatchedValues(batch.values.count - cursors[index].value, column: self.schema.columns[index])
        }
    }

    /// Ends the row group in progress (if it has rows) and writes it to the sink.
    public func flushRowGroup() throws(ParquetError) {
        guard self.rowGroupRows > 0 else { return }
        let rowGroupStart = self.position
        let finished = FinishedColumnSlots(count: self.columnWriters.count)
        try self.forEachColumn { (index) throws(ParquetError) in
            finished.buffer[index] = try self.columnWriters[index].finish()
        }
        // Every column either finished or threw above.
        let chunks = finished.buffer.map { $0! }

        var columnChunks: [ColumnChunk] = []
        var indexes: [(columnIndex: ColumnIndex?, offsetIndex: OffsetIndex)] = []
        var uncompressed: Int64 = 0
        for chunk in chunks {
            var metaData = chunk.metaData
            if let dictionaryPage = chunk.dictionaryPage {
                metaData.dictionaryPageOffset = self.position
                try self.emit(dictionaryPage)
            }
            metaData.dataPageOffset = self.position
            for page in chunk.dataPages { try self.emit(page) }
            let locations = chunk.pageLocations.map {
                PageLocation(
                    offset: $0.offset + metaData.dataPageOffset,
                    compressedPageSize: $0.compressedPageSize,
                    firstRowIndex: $0.firstRowIndex
                )
            }
            indexes.append((chunk.columnIndex, OffsetIndex(pageLocations: locations)))
            uncompressed += metaData.totalUncompressedSize
            columnChunks.append(ColumnChunk(metaData: metaData))
        }
        // Bloom filters follow the row group they describe (as arrow-rs writes them).
        for (index, chunk) in chunks.enumerated() {
            guard let filter = chunk.bloomFilter else { continue }
            let header = BloomFilterHeader(numBytes: Int32(filter.bitset.count)).thriftBytes(reservingCapacity: 16)
            columnChunks[index].metaData.bloomFilterOffset = self.position
            columnChunks[index].metaData.bloomFilterLength = Int32(header.count + filter.bitset.count)
            try self.emit(header)
            try self.emit(filter.bitset)
        }
        let ordinal = self.rowGroups.count
        self.rowGroups.append(
            RowGroup(
                columns: columnChunks,
                totalByteSize: uncompressed,
                numRows: Int64(self.rowGroupRows),
                fileOffset: rowGroupStart,
                totalCompressedSize: columnChunks.reduce(0) { $0 + $1.metaData.totalCompressedSize },
                ordinal: ordinal <= Int(Int16.max) ? Int16(ordinal) : nil
            )
        )
        self.pageIndexes.append(indexes)
        self.rowGroupRows = 0
        self.nextSizeCheck = Self.rowsBeforeFirstSizeCheck
        self.nextPageMemoryCheck = Self.rowsBetweenPageMemoryChecks
        self.pendingPageCuts = [Bool](repeating: false, count: self.columnWriters.count)
    }

    /// Over ``WriterOptions/pageMemoryBudget``, marks the columns with the largest pages in progress to
    /// end them before their next rows, until what stays is at most half the budget. Called at rows that
    /// depend only on the rows written, so pages are cut at the same rows however the rows are batched.
    private func planPageCuts() {
        let budget = self.options.pageMemoryBudget
        var total = 0
        var held: [(column: Int, bytes: Int)] = []
        held.reserveCapacity(self.columnWriters.count)
        for (index, writer) in self.columnWriters.enumerated() {
            let bytes = writer.pageMemory
            total += bytes
            held.append((index, bytes))
        }
        guard total > budget else { return }
        held.sort { $0.bytes > $1.bytes || ($0.bytes == $1.bytes && $0.column < $1.column) }
        for (column, bytes) in held where total > budget / 2 {
            self.pendingPageCuts[column] = true
            total -= bytes
        }
    }

    /// Flushes the last row group, writes the page index and the footer, and finishes the sink.
    @discardableResult
    public func finish() throws(ParquetError) -> ParquetFileSummary {
        guard !self.isFinished else { throw ParquetError(.invalidArgument, "the writer is already finished") }
        try self.flushRowGroup()
        self.isFinished = true
        if self.options.pageIndexEnabled {
            for (group, indexes) in self.pageIndexes.enumerated() {
                for (column, index) in indexes.enumerated() {
                    guard let columnIndex = index.columnIndex else { continue }
                    let bytes = columnIndex.thriftBytes()
                    self.rowGroups[group].columns[column].columnIndexOffset = self.position
                    self.rowGroups[group].columns[column].columnIndexLength = Int32(bytes.count)
                    try self.emit(bytes)
                }
            }
            for (group, indexes) in self.pageIndexes.enumerated() {
                for (column, index) in indexes.enumerated() {
                    let bytes = index.offsetIndex.thriftBytes()
                    self.rowGroups[group].columns[column].offsetIndexOffset = self.position
                    self.rowGroups[group].columns[column].offsetIndexLength = Int32(bytes.count)
                    try self.emit(bytes)
                }
            }
        }
        let footer = FileMetaData(
            version: 1,
            schema: self.schema.elements,
            numRows: self.totalRows,
            rowGroups: self.rowGroups,
            keyValueMetadata: self.options.keyValueMetadata.isEmpty
                ? nil
                : self.options.keyValueMetadata.sorted { $0.key < $1.key }.map {
                    KeyValue(key: $0.key, value: $0.value)
                },
            createdBy: self.options.createdBy,
            columnOrders: self.schema.columns.map { _ in .typeDefinedOrder }
        ).thriftBytes(reservingCapacity: 4096)
        try self.emit(footer)
        var tail = [UInt8]()
        tail.appendLittleEndian(UInt32(footer.count))
        tail.append(contentsOf: Array("PAR1".utf8))
        try self.emit(tail)
        do {
            try self.sink.finish()
        } catch let error as ParquetError {
            throw error
        } catch {
            throw ParquetError(.io, "the sink failed to finish: \(error)")
        }
        return ParquetFileSummary(
            rowCount: self.totalRows,
            rowGroupCount: self.rowGroups.count,
            byteCount: self.position
        )
    }

    /// Calls `body` for every column, on the ``columnTaskRunner``'s threads when there is one; throws
    /// the first column's error.
    private func forEachColumn(_ body: @escaping (Int) throws(ParquetError) -> Void) throws(ParquetError) {
        guard let runner = self.columnTaskRunner, self.columnWriters.count > 1 else {
            for index in self.columnWriters.indices { try body(index) }
            return
        }
        // Escaping for real: a runner's thread may drop its reference a moment after the last task.
        let tasks = ColumnTasks(count: self.columnWriters.count, body: body)
        runner.forEach(self.columnWriters.count) { index in tasks.run(index) }
        if let failure = tasks.firstError { throw failure }
    }

    private func emit(_ bytes: [UInt8]) throws(ParquetError) {
        do {
            try self.sink.write(owning: bytes)
        } catch let error as ParquetError {
            throw error
        } catch {
            throw ParquetError(.io, "the sink failed to write \(bytes.count) bytes: \(error)")
        }
        self.position += Int64(bytes.count)
    }

    // MARK: Row arithmetic

    /// Rows to the next size check: about the rows that would fill the row group at the bytes per row
    /// so far, in multiples of 1,024, at most ``rowsBetweenSizeChecks``.
    static func rowsUntilSizeCheck(bytes: Int, rows: Int, maximumBytes: Int) -> Int {
        let bytesPerRow = max(1, bytes / max(1, rows))
        let fill = (maximumBytes - bytes + bytesPerRow - 1) / bytesPerRow
        let rounded = (fill + Self.rowsBeforeFirstSizeCheck - 1) / Self.rowsBeforeFirstSizeCheck
        return min(Self.rowsBetweenSizeChecks, max(1, rounded) * Self.rowsBeforeFirstSizeCheck)
    }

    /// A batch that gives `count` more values than its definition levels place.
    static func unmatchedValues(_ count: Int, column: ColumnDescriptor) -> ParquetError {
        ParquetError(
            .invalidData,
            "column '\(column.dottedPath)': \(count) values are not matched by definition levels"
        )
    }

    static func slotCount(of batch: ColumnBatch, column: ColumnDescriptor) -> Int {
        if column.maxRepetitionLevel > 0 { return batch.repetitionLevels.count }
        if column.maxDefinitionLevel > 0 { return batch.definitionLevels.count }
        return batch.values.count
    }

    static func rowCount(of batch: ColumnBatch, column: ColumnDescriptor) throws(ParquetError) -> Int {
        if column.maxRepetitionLevel > 0 {
            if column.maxDefinitionLevel > 0 && batch.definitionLevels.count != batch.repetitionLevels.count {
                throw ParquetError(
                    .invalidData,
                    "column '\(column.dottedPath)' has \(batch.definitionLevels.count) definition levels but \(batch.repetitionLevels.count) repetition levels"
                )
            }
            guard let first = batch.repetitionLevels.first else { return 0 }
            guard first == 0 else {
                throw ParquetError(
                    .invalidData,
                    "column '\(column.dottedPath)': the first repetition level of a batch must be 0"
                )
            }
            var rows = 0
            for level in batch.repetitionLevels { rows &+= level == 0 ? 1 : 0 }
            return rows
        }
        if !batch.repetitionLevels.isEmpty {
            throw ParquetError(.invalidData, "column '\(column.dottedPath)' is not repeated but has repetition levels")
        }
        if column.maxDefinitionLevel > 0 { return batch.definitionLevels.count }
        if !batch.definitionLevels.isEmpty {
            throw ParquetError(.invalidData, "column '\(column.dottedPath)' is required but has definition levels")
        }
        return batch.values.count
    }

    static func slotIndex(afterRows rows: Int, from start: Int, in batch: ColumnBatch, column: ColumnDescriptor) -> Int
    {
        guard column.maxRepetitionLevel > 0 else { return start + rows }
        var seen = 0
        var index = start
        let levels = batch.repetitionLevels
        while index < levels.count {
            if levels[index] == 0 {
                if seen == rows { break }
                seen += 1
            }
            index += 1
        }
        return index
    }
}

/// Finished column chunks filled in by the column tasks, each task its own slot.
///
/// `@unchecked Sendable`: tasks write distinct indices, and the buffer is read only after they return.
private final class FinishedColumnSlots: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<FinishedColumnChunk?>

    init(count: Int) {
        self.buffer = .allocate(capacity: count)
        self.buffer.initialize(repeating: nil)
    }

    deinit {
        self.buffer.deinitialize()
        self.buffer.deallocate()
    }
}
