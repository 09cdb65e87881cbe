extension FileMetaData: ThriftDecodable {
    init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var version: Int32?
        var schema: [SchemaElement]?
        var numRows: Int64?
        var rowGroups: [RowGroup]?
        var keyValue: [KeyValue]?
        var createdBy: String?
        var columnOrders: [ColumnOrder]?
        var encrypted = false
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 1: version = try r.i32(type, "FileMetaData.version")
            case 2: schema = try r.decodeList(type, "FileMetaData.schema")
            case 3: numRows = try r.i64(type, "FileMetaData.num_rows")
            case 4: rowGroups = try r.decodeList(type, "FileMetaData.row_groups")
            case 5: keyValue = try r.decodeList(type, "FileMetaData.key_value_metadata")
            case 6: createdBy = try r.string(type, "FileMetaData.created_by")
            case 7: columnOrders = try r.decodeList(type, "FileMetaData.column_orders")
            case 8:
                encrypted = true
                try r.skip(type)
            default: try r.skip(type)
            }
        }
        guard let schema, !schema.isEmpty else { throw ThriftCompactReader.missing("FileMetaData.schema") }
        guard let numRows else { throw ThriftCompactReader.missing("FileMetaData.num_rows") }
        guard numRows >= 0 else { throw ParquetError(.corrupt, "footer says the file has \(numRows) rows") }
        self.init(
            version: version ?? 1,
            schema: schema,
            numRows: numRows,
            rowGroups: rowGroups ?? [],
            keyValueMetadata: keyValue,
            createdBy: createdBy,
            columnOrders: columnOrders,
            isEncrypted: encrypted
        )
    }
}

extension ColumnOrder: ThriftDecodable {
    init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var order = ColumnOrder.unknown
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 1: order = .typeDefinedOrder
            case 2: order = .ieee754TotalOrder
            default: break
            }
            try r.skip(type)
        }
        self = order
    }
}

extension KeyValue: ThriftDecodable {
    init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var key: String?
        var value: String?
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 1: key = try r.string(type, "KeyValue.key")
            case 2: value = try r.string(type, "KeyValue.value")
            default: try r.skip(type)
            }
        }
        guard let key else { throw ThriftCompactReader.missing("KeyValue.key") }
        self.init(key: key, value: value)
    }
}

extension SchemaElement: ThriftDecodable {
    init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var element = SchemaElement(name: "")
        var hasName = false
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 1:
                let raw = try r.i32(type, "SchemaElement.type")
                guard let physical = PhysicalType(rawValue: raw) else {
                    throw ParquetError(.corrupt, "schema element has invalid physical type \(raw)")
                }
                element.type = physical
            case 2: element.typeLength = try r.i32(type, "SchemaElement.type_length")
            case 3:
                let raw = try r.i32(type, "SchemaElement.repetition_type")
                guard let repetition = Repetition(rawValue: raw) else {
                    throw ParquetError(.corrupt, "schema element has invalid repetition type \(raw)")
                }
                element.repetitionType = repetition
            case 4:
                element.name = try r.string(type, "SchemaElement.name")
                hasName = true
            case 5: element.numChildren = try r.i32(type, "SchemaElement.num_children")
            case 6: element.convertedType = ConvertedType(rawValue: try r.i32(type, "SchemaElement.converted_type"))
            case 7: element.scale = try r.i32(type, "SchemaElement.scale")
            case 8: element.precision = try r.i32(type, "SchemaElement.precision")
            case 9: element.fieldID = try r.i32(type, "SchemaElement.field_id")
            case 10:
                try r.expect(type, .struct, field: "SchemaElement.logicalType")
                element.logicalType = try LogicalType.decode(from: &r)
            default: try r.skip(type)
            }
        }
        guard hasName else { throw ThriftCompactReader.missing("SchemaElement.name") }
        self = element
    }
}

extension LogicalType {
    /// The annotation, or nil for members this reader does not know (the column is then read as
    /// its physical type, as the spec asks).
    static func decode(from reader: inout ThriftCompactReader) throws(ParquetError) -> LogicalType? {
        var result: LogicalType?
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 1: result = .string
            case 2: result = .map
            case 3: result = .list
            case 4: result = .enum
            case 5:
                var scale: Int32 = 0
                var precision: Int32 = 0
                try r.expect(type, .struct, field: "DecimalType")
                try r.readStruct { (r, type, id) throws(ParquetError) in
                    switch id {
                    case 1: scale = try r.i32(type, "DecimalType.scale")
                    case 2: precision = try r.i32(type, "DecimalType.precision")
                    default: try r.skip(type)
                    }
                }
                result = .decimal(scale: scale, precision: precision)
                return
            case 6: result = .date
            case 7, 8:
                var utc = false
                var unit = TimeUnit.micros
                try r.expect(type, .struct, field: "TimeType")
                try r.readStruct { (r, type, field) throws(ParquetError) in
                    switch field {
                    case 1: utc = try r.readBoolField(type)
                    case 2:
                        try r.expect(type, .struct, field: "TimeUnit")
                        unit = try TimeUnit.decode(from: &r)
                    default: try r.skip(type)
                    }
                }
                result =
                    id == 7 ? .time(isAdjustedToUTC: utc, unit: unit) : .timestamp(isAdjustedToUTC: utc, unit: unit)
                return
            case 10:
                var bitWidth: Int8 = 64
                var signed = true
                try r.expect(type, .struct, field: "IntType")
                try r.readStruct { (r, type, field) throws(ParquetError) in
                    switch field {
                    case 1:
                        try r.expect(type, .byte, field: "IntType.bitWidth")
                        bitWidth = try r.readI8()
                    case 2: signed = try r.readBoolField(type)
                    default: try r.skip(type)
                    }
                }
                result = .integer(bitWidth: bitWidth, isSigned: signed)
                return
            case 11: result = .unknown
            case 12: result = .json
            case 13: result = .bson
            case 14: result = .uuid
            case 15: result = .float16
            default: result = nil
            }
            try r.skip(type)
        }
        return result
    }
}

extension TimeUnit {
    static func decode(from reader: inout ThriftCompactReader) throws(ParquetError) -> TimeUnit {
        var unit = TimeUnit.micros
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 1: unit = .millis
            case 2: unit = .micros
            case 3: unit = .nanos
            default: break
            }
            try r.skip(type)
        }
        return unit
    }
}

extension RowGroup: ThriftDecodable {
    init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var columns: [ColumnChunk]?
        var totalByteSize: Int64 = 0
        var numRows: Int64?
        var fileOffset: Int64?
        var totalCompressed: Int64?
        var ordinal: Int16?
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 1: columns = try r.decodeList(type, "RowGroup.columns")
            case 2: totalByteSize = try r.i64(type, "RowGroup.total_byte_size")
            case 3: numRows = try r.i64(type, "RowGroup.num_rows")
            case 5: fileOffset = try r.i64(type, "RowGroup.file_offset")
            case 6: totalCompressed = try r.i64(type, "RowGroup.total_compressed_size")
            case 7:
                try r.expect(type, .i16, field: "RowGroup.ordinal")
                ordinal = try r.readI16()
            default: try r.skip(type)
            }
        }
        guard let columns else { throw ThriftCompactReader.missing("RowGroup.columns") }
        guard let numRows, numRows >= 0 else { throw ThriftCompactReader.missing("RowGroup.num_rows") }
        self.init(
            columns: columns,
            totalByteSize: totalByteSize,
            numRows: numRows,
            fileOffset: fileOffset,
            totalCompressedSize: totalCompressed,
            ordinal: ordinal
        )
    }
}

extension ColumnChunk: ThriftDecodable {
    init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var fileOffset: Int64 = 0
        var metaData: ColumnMetaData?
        var chunk = ColumnChunk(metaData: ColumnMetaData.placeholder)
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 2: fileOffset = try r.i64(type, "ColumnChunk.file_offset")
            case 3: metaData = try r.decode(type, "ColumnChunk.meta_data")
            case 4: chunk.offsetIndexOffset = try r.i64(type, "ColumnChunk.offset_index_offset")
            case 5: chunk.offsetIndexLength = try r.i32(type, "ColumnChunk.offset_index_length")
            case 6: chunk.columnIndexOffset = try r.i64(type, "ColumnChunk.column_index_offset")
            case 7: chunk.columnIndexLength = try r.i32(type, "ColumnChunk.column_index_length")
            case 8, 9:
                chunk.isEncrypted = true
                try r.skip(type)
            default: try r.skip(type)
            }
        }
        chunk.fileOffset = fileOffset
        if let metaData {
            chunk.metaData = metaData
        } else if !chunk.isEncrypted {
            throw ThriftCompactReader.missing("ColumnChunk.meta_data")
        }
        self = chunk
    }
}

extension ColumnMetaData {
    static let placeholder = ColumnMetaData(
        type: .int32,
        encodings: [],
        pathInSchema: [],
        codec: .uncompressed,
        numValues: 0,
        totalUncompressedSize: 0,
        totalCompressedSize: 0,
        dataPageOffset: 0
    )
}

extension ColumnMetaData: ThriftDecodable {
    init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var physical: PhysicalType?
        var codec: CompressionCodec?
        var numValues: Int64?
        var dataPageOffset: Int64?
        var metaData = ColumnMetaData.placeholder
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 1:
                let raw = try r.i32(type, "ColumnMetaData.type")
                guard let value = PhysicalType(rawValue: raw) else {
                    throw ParquetError(.corrupt, "column chunk has invalid physical type \(raw)")
                }
                physical = value
            case 2:
                // Encodings this reader does not know are only listed here; a page that uses one fails when read.
                metaData.encodings = try r.i32List(type, "ColumnMetaData.encodings").compactMap {
                    Encoding(rawValue: $0)
                }
            case 3:
                try r.expect(type, .list, field: "ColumnMetaData.path_in_schema")
                metaData.pathInSchema = try r.readList { (r, elementType) throws(ParquetError) in
                    try r.string(elementType, "ColumnMetaData.path_in_schema")
                }
            case 4:
                let raw = try r.i32(type, "ColumnMetaData.codec")
                guard let value = CompressionCodec(rawValue: raw) else {
                    throw ParquetError(.unsupported, "column chunk uses unknown compression codec \(raw)")
                }
                codec = value
            case 5: numValues = try r.i64(type, "ColumnMetaData.num_values")
            case 6: metaData.totalUncompressedSize = try r.i64(type, "ColumnMetaData.total_uncompressed_size")
            case 7: metaData.totalCompressedSize = try r.i64(type, "ColumnMetaData.total_compressed_size")
            case 8: metaData.keyValueMetadata = try r.decodeList(type, "ColumnMetaData.key_value_metadata")
            case 9: dataPageOffset = try r.i64(type, "ColumnMetaData.data_page_offset")
            case 11: metaData.dictionaryPageOffset = try r.i64(type, "ColumnMetaData.dictionary_page_offset")
            case 12: metaData.statistics = try r.decode(type, "ColumnMetaData.statistics")
            case 13:
                try r.expect(type, .list, field: "ColumnMetaData.encoding_stats")
                metaData.encodingStats = try r.readList { (r, elementType) throws(ParquetError) in
                    try r.expect(elementType, .struct, field: "ColumnMetaData.encoding_stats")
                    return try PageEncodingStats.decodeIfKnown(from: &r)
                }.compactMap { $0 }
            // Some 2018 parquet-mr forks wrote their own fields under ids 14 and 15 (a list in
            // dict-page-offset-zero.parquet); like Thrift-generated readers, skip an optional field of another type.
            case 14 where type == .i64:
                metaData.bloomFilterOffset = try r.i64(type, "ColumnMetaData.bloom_filter_offset")
            case 15 where type == .i32:
                metaData.bloomFilterLength = try r.i32(type, "ColumnMetaData.bloom_filter_length")
            default: try r.skip(type)
            }
        }
        guard let physical, let codec, let numValues, let dataPageOffset else {
            throw ThriftCompactReader.missing("ColumnMetaData type/codec/num_values/data_page_offset")
        }
        guard numValues >= 0, dataPageOffset >= 0, metaData.totalCompressedSize >= 0 else {
            throw ParquetError(.corrupt, "column chunk metadata has negative sizes or offsets")
        }
        metaData.type = physical
        metaData.codec = codec
        metaData.numValues = numValues
        metaData.dataPageOffset = dataPageOffset
        self = metaData
    }
}

extension PageEncodingStats {
    /// The entry, or nil when it names a page type or encoding this reader does not know.
    static func decodeIfKnown(from reader: inout ThriftCompactReader) throws(ParquetError) -> PageEncodingStats? {
        var pageType: Int32 = 0
        var encoding: Int32 = 0
        var count: Int32 = 0
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 1: pageType = try r.i32(type, "PageEncodingStats.page_type")
            case 2: encoding = try r.i32(type, "PageEncodingStats.encoding")
            case 3: count = try r.i32(type, "PageEncodingStats.count")
            default: try r.skip(type)
            }
        }
        guard let pageType = PageType(rawValue: pageType), let encoding = Encoding(rawValue: encoding) else {
            return nil
        }
        return PageEncodingStats(pageType: pageType, encoding: encoding, count: count)
    }
}

extension ColumnIndex: ThriftDecodable {
    init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var index = ColumnIndex(nullPages: [], minValues: [], maxValues: [], boundaryOrder: .unordered)
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 1: index.nullPages = try r.boolList(type, "ColumnIndex.null_pages")
            case 2: index.minValues = try r.binaryList(type, "ColumnIndex.min_values")
            case 3: index.maxValues = try r.binaryList(type, "ColumnIndex.max_values")
            case 4:
                index.boundaryOrder =
                    BoundaryOrder(rawValue: try r.i32(type, "ColumnIndex.boundary_order")) ?? .unordered
            case 5: index.nullCounts = try r.i64List(type, "ColumnIndex.null_counts")
            default: try r.skip(type)
            }
        }
        guard index.minValues.count == index.nullPages.count, index.maxValues.count == index.nullPages.count else {
            throw ParquetError(.corrupt, "column index lists have different lengths")
        }
        self = index
    }
}

extension OffsetIndex: ThriftDecodable {
    init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var locations: [PageLocation] = []
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 1: locations = try r.decodeList(type, "OffsetIndex.page_locations")
            default: try r.skip(type)
            }
        }
        self.init(pageLocations: locations)
    }
}

extension PageLocation: ThriftDecodable {
    init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var offset: Int64 = 0
        var size: Int32 = 0
        var firstRow: Int64 = 0
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 1: offset = try r.i64(type, "PageLocation.offset")
            case 2: size = try r.i32(type, "PageLocation.compressed_page_size")
            case 3: firstRow = try r.i64(type, "PageLocation.first_row_index")
            default: try r.skip(type)
            }
        }
        self.init(offset: offset, compressedPageSize: size, firstRowIndex: firstRow)
    }
}

extension BloomFilterHeader: ThriftDecodable {
    init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var numBytes: Int32?
        var supported = true
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 1: numBytes = try r.i32(type, "BloomFilterHeader.numBytes")
            case 2, 3, 4:
                // algorithm, hash, compression unions: only member 1 (BLOCK, XXHASH, UNCOMPRESSED) is known.
                try r.expect(type, .struct, field: "BloomFilterHeader union")
                try r.readStruct { (r, type, member) throws(ParquetError) in
                    if member != 1 { supported = false }
                    try r.skip(type)
                }
            default: try r.skip(type)
            }
        }
        guard let numBytes else { throw ThriftCompactReader.missing("BloomFilterHeader.numBytes") }
        guard supported else {
            throw ParquetError(.unsupported, "bloom filter uses an unknown algorithm, hash or compression")
        }
        self.init(numBytes: numBytes)
    }
}
