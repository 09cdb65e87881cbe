/// The footer of a Parquet file, in public form.
public struct ParquetFileMetadata: Sendable {
    public var version: Int32
    public var rowCount: Int64
    public var createdBy: String?
    public var keyValueMetadata: [(key: String, value: String?)]
    public var schema: ParquetSchema
    public var rowGroups: [RowGroupMetadata]
    /// Byte size of the Thrift footer.
    public var footerLength: Int

    let raw: FileMetaData
}

public struct RowGroupMetadata: Sendable {
    public var rowCount: Int64
    public var totalByteSize: Int64
    public var totalCompressedSize: Int64?
    public var fileOffset: Int64?
    public var columns: [ColumnChunkMetadata]
}

public struct ColumnChunkMetadata: Sendable {
    public var column: ColumnDescriptor
    public var codec: CompressionCodec
    public var encodings: [Encoding]
    /// Levels (slots), including nulls and empty lists.
    public var valueCount: Int64
    public var compressedSize: Int64
    public var uncompressedSize: Int64
    public var dataPageOffset: Int64
    public var dictionaryPageOffset: Int64?
    public var statistics: ColumnStatistics?
    public var columnIndexRange: Range<Int64>?
    public var offsetIndexRange: Range<Int64>?
    public var bloomFilterOffset: Int64?
    public var bloomFilterLength: Int32?
    /// Pages per (page type, encoding), when the writer recorded them.
    public var encodingStatistics: [(pageType: PageType, encoding: Encoding, count: Int32)]
    public var keyValueMetadata: [(key: String, value: String?)]
    public var isEncrypted: Bool

    let raw: ColumnChunk

    /// Where the chunk's pages start: the dictionary page when there is a valid one.
    public var startOffset: Int64 {
        if let dictionary = self.dictionaryPageOffset, dictionary > 0, dictionary < self.dataPageOffset {
            return dictionary
        }
        return self.dataPageOffset
    }
}

/// Statistics of a column chunk or page, with min/max in their encoded (PLAIN, no length) form.
public struct ColumnStatistics: Sendable, Hashable {
    public var nullCount: Int64?
    public var distinctCount: Int64?
    /// `min_value`, or the legacy `min` when only that exists and the sort order is signed.
    public var min: [UInt8]?
    public var max: [UInt8]?
    public var isMinExact: Bool?
    public var isMaxExact: Bool?
    public var nanCount: Int64?

    init(_ statistics: Statistics, sortOrder: SortOrder) {
        self.nullCount = statistics.nullCount
        self.distinctCount = statistics.distinctCount
        self.nanCount = statistics.nanCount
        self.isMinExact = statistics.isMinValueExact
        self.isMaxExact = statistics.isMaxValueExact
        if statistics.minValue != nil || statistics.maxValue != nil {
            self.min = statistics.minValue
            self.max = statistics.maxValue
        } else if sortOrder == .signed {
            // Old writers filled only the deprecated fields, ordered as signed values.
            self.min = statistics.legacyMin
            self.max = statistics.legacyMax
        }
    }
}

extension ParquetFileMetadata {
    init(_ raw: FileMetaData, footerLength: Int) throws(ParquetError) {
        let schema = try ParquetSchema(elements: raw.schema)
        var rowGroups: [RowGroupMetadata] = []
        rowGroups.reserveCapacity(raw.rowGroups.count)
        for (groupIndex, group) in raw.rowGroups.enumerated() {
            guard group.columns.count == schema.columns.count else {
                throw ParquetError(
                    .corrupt,
                    "row group \(groupIndex) has \(group.columns.count) column chunks but the schema has \(schema.columns.count) leaf columns"
                )
            }
            var columns: [ColumnChunkMetadata] = []
            for (column, chunk) in zip(schema.columns, group.columns) {
                let meta = chunk.metaData
                columns.append(
                    ColumnChunkMetadata(
                        column: column,
                        codec: meta.codec,
                        encodings: meta.encodings,
                        valueCount: meta.numValues,
                        compressedSize: meta.totalCompressedSize,
                        uncompressedSize: meta.totalUncompressedSize,
                        dataPageOffset: meta.dataPageOffset,
                        dictionaryPageOffset: meta.dictionaryPageOffset,
                        statistics: meta.statistics.map { ColumnStatistics($0, sortOrder: column.sortOrder) },
                        columnIndexRange: Self.range(chunk.columnIndexOffset, chunk.columnIndexLength),
                        offsetIndexRange: Self.range(chunk.offsetIndexOffset, chunk.offsetIndexLength),
                        bloomFilterOffset: meta.bloomFilterOffset,
                        bloomFilterLength: meta.bloomFilterLength,
                        encodingStatistics: (meta.encodingStats ?? []).map { ($0.pageType, $0.encoding, $0.count) },
                        keyValueMetadata: (meta.keyValueMetadata ?? []).map { ($0.key, $0.value) },
                        isEncrypted: chunk.isEncrypted,
                        raw: chunk
                    )
                )
            }
            rowGroups.append(
                RowGroupMetadata(
                    rowCount: group.numRows,
                    totalByteSize: group.totalByteSize,
                    totalCompressedSize: group.totalCompressedSize,
                    fileOffset: group.fileOffset,
                    columns: columns
                )
            )
        }
        self.init(
            version: raw.version,
            rowCount: raw.numRows,
            createdBy: raw.createdBy,
            keyValueMetadata: (raw.keyValueMetadata ?? []).map { ($0.key, $0.value) },
            schema: schema,
            rowGroups: rowGroups,
            footerLength: footerLength,
            raw: raw
        )
    }

    private static func range(_ offset: Int64?, _ length: Int32?) -> Range<Int64>? {
        guard let offset, let length, offset >= 0, length > 0 else { return nil }
        return offset..<(offset + Int64(length))
    }
}
