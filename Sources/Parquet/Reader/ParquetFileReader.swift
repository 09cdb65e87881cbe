/// Reads a Parquet file: the footer on open, then column chunks or records one row group at a time,
/// so memory stays bounded by a row group whatever the file's size.
///
/// Every length, count and offset is checked against the file before use, and every defect is a
/// ``ParquetError`` that names it; hostile input never traps or allocates without bound.
public final class ParquetFileReader<Source: ParquetSource> {
    public let source: Source
    public let options: ReaderOptions
    public let metadata: ParquetFileMetadata

    public init(source: Source, options: ReaderOptions = ReaderOptions()) throws(ParquetError) {
        self.source = source
        self.options = options
        let size = source.size
        guard size >= 12 else {
            throw ParquetError(
                .corrupt,
                "not a Parquet file: \(size) bytes is too small (a Parquet file has at least 12)"
            )
        }
        let tail = try source.read(offset: size - 8, count: 8)
        let magic = Array(tail[4..<8])
        if magic == Array("PARE".utf8) {
            throw ParquetError(.unsupported, "encrypted file (PARE footer): reading encrypted Parquet is not supported")
        }
        guard magic == Array("PAR1".utf8) else {
            throw ParquetError(.corrupt, "not a Parquet file: it does not end with the PAR1 magic")
        }
        guard try source.read(offset: 0, count: 4) == Array("PAR1".utf8) else {
            throw ParquetError(.corrupt, "not a Parquet file: it does not start with the PAR1 magic")
        }
        let footerLength = Int64(tail[0]) | Int64(tail[1]) << 8 | Int64(tail[2]) << 16 | Int64(tail[3]) << 24
        guard footerLength > 0, footerLength <= size - 12 else {
            throw ParquetError(.corrupt, "footer length \(footerLength) does not fit in the \(size)-byte file")
        }
        guard footerLength <= Int64(options.maximumFooterSize) else {
            throw ParquetError(
                .limitExceeded,
                "footer of \(footerLength) bytes exceeds the limit of \(options.maximumFooterSize) bytes"
            )
        }
        let footer = try source.read(offset: size - 8 - footerLength, count: Int(footerLength))
        let raw = try footer.withUnsafeBufferPointer { (buffer) throws(ParquetError) -> FileMetaData in
            var reader = ThriftCompactReader(UnsafeRawBufferPointer(buffer))
            return try FileMetaData(from: &reader)
        }
        if raw.isEncrypted {
            throw ParquetError(
                .unsupported,
                "encrypted file (plaintext footer with encryption algorithm): not supported"
            )
        }
        let metadata = try ParquetFileMetadata(raw, footerLength: Int(footerLength))
        for group in metadata.rowGroups {
            for chunk in group.columns where chunk.isEncrypted {
                throw ParquetError(
                    .unsupported,
                    "column '\(chunk.column.dottedPath)' is encrypted: reading encrypted Parquet is not supported"
                )
            }
        }
        self.metadata = metadata
    }

    /// The values and levels of one column chunk, checked against the row group's row count.
    public func readColumn(rowGroup: Int, column: Int) throws(ParquetError) -> ColumnBatch {
        guard self.metadata.rowGroups.indices.contains(rowGroup) else {
            throw ParquetError(
                .invalidArgument,
                "row group \(rowGroup) does not exist (the file has \(self.metadata.rowGroups.count))"
            )
        }
        let group = self.metadata.rowGroups[rowGroup]
        guard group.columns.indices.contains(column) else {
            throw ParquetError(
                .invalidArgument,
                "column \(column) does not exist (the schema has \(group.columns.count) leaves)"
            )
        }
        let chunk = group.columns[column]
        if chunk.valueCount == 0 && group.rowCount == 0 {
            // Nothing to read; such chunks may carry no usable offsets at all.
            return ColumnBatch(values: Self.emptyValues(for: chunk.column))
        }
        let start = chunk.startOffset
        let footerStart = self.source.size - 8 - Int64(self.metadata.footerLength)
        guard start >= 4, start < footerStart, chunk.compressedSize >= 0 else {
            throw ParquetError(
                .corrupt,
                "column '\(chunk.column.dottedPath)' of row group \(rowGroup) starts at \(start), outside the data of the file"
            )
        }
        // Some old writers understate total_compressed_size (nation.dict-malformed.parquet is 15 bytes
        // short); the page reader stops after the chunk's values, so allow some slack up to the footer.
        let length = min(chunk.compressedSize + Self.chunkSizeSlack, footerStart - start)
        guard length <= Int64(self.options.maximumPageSize) * 4 else {
            throw ParquetError(
                .limitExceeded,
                "column chunk '\(chunk.column.dottedPath)' of \(length) bytes exceeds the reader's limit"
            )
        }
        let bytes = try self.source.read(offset: start, count: Int(length))
        let (batch, rows) = try bytes.withUnsafeBufferPointer { (buffer) throws(ParquetError) in
            try ColumnChunkReader(chunk: chunk, options: self.options).read(UnsafeRawBufferPointer(buffer))
        }
        guard Int64(rows) == group.rowCount else {
            throw ParquetError(
                .corrupt,
                "column '\(chunk.column.dottedPath)' of row group \(rowGroup) has \(rows) rows but the row group has \(group.rowCount)"
            )
        }
        return batch
    }

    /// The records of one row group, with only the top-level fields named in `fields` (all when nil).
    public func readRecords(rowGroup: Int, fields: [String]? = nil) throws(ParquetError) -> [[String: ParquetValue]] {
        let indices = try self.fieldIndices(fields)
        let assembler = try RecordAssembler(schema: self.metadata.schema, fields: indices)
        var batches: [ColumnBatch] = []
        for column in assembler.leafColumns {
            batches.append(try self.readColumn(rowGroup: rowGroup, column: column))
        }
        guard self.metadata.rowGroups.indices.contains(rowGroup) else { return [] }
        return try assembler.assemble(batches, rowCount: Int(self.metadata.rowGroups[rowGroup].rowCount))
    }

    /// Every record of the file; for small files and tools (memory grows with the file).
    public func readAllRecords(
        fields: [String]? = nil,
        limit: Int? = nil
    ) throws(ParquetError) -> [[String: ParquetValue]] {
        var records: [[String: ParquetValue]] = []
        for group in self.metadata.rowGroups.indices {
            if let limit, records.count >= limit { break }
            records.append(contentsOf: try self.readRecords(rowGroup: group, fields: fields))
        }
        if let limit, records.count > limit { records.removeLast(records.count - limit) }
        return records
    }

    /// Extra bytes read past a column chunk's declared end, for writers that understate it.
    static var chunkSizeSlack: Int64 { 64 * 1024 }

    static func emptyValues(for column: ColumnDescriptor) -> ColumnValues {
        switch column.physicalType {
        case .boolean: .boolean([])
        case .int32: .int32([])
        case .int64: .int64([])
        case .float: .float([])
        case .double: .double([])
        case .byteArray: .byteArray(ByteArrayBuffer())
        case .fixedLenByteArray, .int96: .fixedLenByteArray(ByteArrayBuffer())
        }
    }

    private func fieldIndices(_ names: [String]?) throws(ParquetError) -> [Int] {
        let fields = self.metadata.schema.fields
        guard let names else { return Array(fields.indices) }
        var indices: [Int] = []
        for name in names {
            guard let index = fields.firstIndex(where: { $0.name == name }) else {
                throw ParquetError(
                    .invalidArgument,
                    "no top-level field '\(name)' (fields: \(fields.map(\.name).joined(separator: ", ")))"
                )
            }
            indices.append(index)
        }
        return indices.sorted()
    }
}
