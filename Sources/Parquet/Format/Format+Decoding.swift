/// Decoding of the footer structures (the writer's structs read back, unknown fields skipped).
protocol ThriftDecodable {
    init(from reader: inout ThriftCompactReader) throws(ParquetError)
}

extension ThriftCompactReader {
    mutating func i32(_ type: ThriftCompactType, _ field: String) throws(ParquetError) -> Int32 {
        try self.expect(type, .i32, field: field)
        return try self.readI32()
    }

    mutating func i64(_ type: ThriftCompactType, _ field: String) throws(ParquetError) -> Int64 {
        try self.expect(type, .i64, field: field)
        return try self.readI64()
    }

    mutating func binary(_ type: ThriftCompactType, _ field: String) throws(ParquetError) -> [UInt8] {
        try self.expect(type, .binary, field: field)
        return try self.readBinary()
    }

    mutating func string(_ type: ThriftCompactType, _ field: String) throws(ParquetError) -> String {
        try self.expect(type, .binary, field: field)
        return try self.readString()
    }

    mutating func decode<T: ThriftDecodable>(_ type: ThriftCompactType, _ field: String) throws(ParquetError) -> T {
        try self.expect(type, .struct, field: field)
        return try T(from: &self)
    }

    mutating func decodeList<T: ThriftDecodable>(_ type: ThriftCompactType, _ field: String) throws(ParquetError) -> [T]
    {
        try self.expect(type, .list, field: field)
        return try self.readList { (reader, elementType) throws(ParquetError) in
            try reader.expect(elementType, .struct, field: field)
            return try T(from: &reader)
        }
    }

    /// Integer list elements: i16, i32 and i64 are all zigzag varints in the compact protocol, and
    /// generated Thrift readers ignore the declared element type, so any of them is accepted.
    mutating func i32List(_ type: ThriftCompactType, _ field: String) throws(ParquetError) -> [Int32] {
        try self.expect(type, .list, field: field)
        return try self.readList { (reader, elementType) throws(ParquetError) in
            try reader.expectInteger(elementType, field: field)
            return try reader.readI32()
        }
    }

    mutating func i64List(_ type: ThriftCompactType, _ field: String) throws(ParquetError) -> [Int64] {
        try self.expect(type, .list, field: field)
        return try self.readList { (reader, elementType) throws(ParquetError) in
            try reader.expectInteger(elementType, field: field)
            return try reader.readI64()
        }
    }

    mutating func expectInteger(_ type: ThriftCompactType, field: String) throws(ParquetError) {
        guard type == .i16 || type == .i32 || type == .i64 else {
            throw ParquetError(
                .corrupt,
                "Thrift field \(field) at byte \(self.offset) holds \(type) elements, expected integers"
            )
        }
    }

    mutating func binaryList(_ type: ThriftCompactType, _ field: String) throws(ParquetError) -> [[UInt8]] {
        try self.expect(type, .list, field: field)
        return try self.readList { (reader, elementType) throws(ParquetError) in
            try reader.expect(elementType, .binary, field: field)
            return try reader.readBinary()
        }
    }

    mutating func boolList(_ type: ThriftCompactType, _ field: String) throws(ParquetError) -> [Bool] {
        try self.expect(type, .list, field: field)
        return try self.readList { (reader, _) throws(ParquetError) in try reader.readListBool() }
    }

    /// A required field that was absent.
    static func missing(_ field: String) -> ParquetError {
        ParquetError(.corrupt, "required Thrift field \(field) is missing")
    }
}

extension Statistics: ThriftDecodable {
    init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        self.init()
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 1: self.legacyMax = try r.binary(type, "Statistics.max")
            case 2: self.legacyMin = try r.binary(type, "Statistics.min")
            case 3: self.nullCount = try r.i64(type, "Statistics.null_count")
            case 4: self.distinctCount = try r.i64(type, "Statistics.distinct_count")
            case 5: self.maxValue = try r.binary(type, "Statistics.max_value")
            case 6: self.minValue = try r.binary(type, "Statistics.min_value")
            case 7: self.isMaxValueExact = try r.readBoolField(type)
            case 8: self.isMinValueExact = try r.readBoolField(type)
            case 9: self.nanCount = try r.i64(type, "Statistics.nan_count")
            default: try r.skip(type)
            }
        }
    }
}

extension PageHeader: ThriftDecodable {
    init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var pageType: Int32?
        var uncompressed: Int32?
        var compressed: Int32?
        var crc: Int32?
        var data: DataPageHeader?
        var dictionary: DictionaryPageHeader?
        var dataV2: DataPageHeaderV2?
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 1: pageType = try r.i32(type, "PageHeader.type")
            case 2: uncompressed = try r.i32(type, "PageHeader.uncompressed_page_size")
            case 3: compressed = try r.i32(type, "PageHeader.compressed_page_size")
            case 4: crc = try r.i32(type, "PageHeader.crc")
            case 5: data = try r.decode(type, "PageHeader.data_page_header")
            case 7: dictionary = try r.decode(type, "PageHeader.dictionary_page_header")
            case 8: dataV2 = try r.decode(type, "PageHeader.data_page_header_v2")
            default: try r.skip(type)
            }
        }
        guard let pageType else { throw ThriftCompactReader.missing("PageHeader.type") }
        guard let uncompressed, let compressed else { throw ThriftCompactReader.missing("PageHeader sizes") }
        guard uncompressed >= 0, compressed >= 0 else {
            throw ParquetError(.corrupt, "page header has negative sizes (\(uncompressed), \(compressed))")
        }
        self.init(
            type: PageType(rawValue: pageType) ?? .indexPage,
            uncompressedPageSize: uncompressed,
            compressedPageSize: compressed,
            crc: crc,
            dataPageHeader: data,
            dictionaryPageHeader: dictionary,
            dataPageHeaderV2: dataV2
        )
    }
}

extension Encoding {
    init(decoding raw: Int32, field: String) throws(ParquetError) {
        guard let encoding = Encoding(rawValue: raw) else {
            throw ParquetError(.unsupported, "\(field) uses unknown encoding \(raw)")
        }
        self = encoding
    }
}

extension DataPageHeader: ThriftDecodable {
    init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var numValues: Int32?
        var encoding: Int32?
        var definition: Int32 = Encoding.rle.rawValue
        var repetition: Int32 = Encoding.rle.rawValue
        var statistics: Statistics?
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 1: numValues = try r.i32(type, "DataPageHeader.num_values")
            case 2: encoding = try r.i32(type, "DataPageHeader.encoding")
            case 3: definition = try r.i32(type, "DataPageHeader.definition_level_encoding")
            case 4: repetition = try r.i32(type, "DataPageHeader.repetition_level_encoding")
            case 5: statistics = try r.decode(type, "DataPageHeader.statistics")
            default: try r.skip(type)
            }
        }
        guard let numValues, let encoding else {
            throw ThriftCompactReader.missing("DataPageHeader.num_values/encoding")
        }
        guard numValues >= 0 else {
            throw ParquetError(.corrupt, "data page header has negative num_values \(numValues)")
        }
        self.init(
            numValues: numValues,
            encoding: try Encoding(decoding: encoding, field: "data page"),
            definitionLevelEncoding: try Encoding(decoding: definition, field: "data page definition levels"),
            repetitionLevelEncoding: try Encoding(decoding: repetition, field: "data page repetition levels"),
            statistics: statistics
        )
    }
}

extension DataPageHeaderV2: ThriftDecodable {
    init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var numValues: Int32?
        var numNulls: Int32?
        var numRows: Int32?
        var encoding: Int32?
        var definitionLength: Int32?
        var repetitionLength: Int32?
        var isCompressed: Bool?
        var statistics: Statistics?
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 1: numValues = try r.i32(type, "DataPageHeaderV2.num_values")
            case 2: numNulls = try r.i32(type, "DataPageHeaderV2.num_nulls")
            case 3: numRows = try r.i32(type, "DataPageHeaderV2.num_rows")
            case 4: encoding = try r.i32(type, "DataPageHeaderV2.encoding")
            case 5: definitionLength = try r.i32(type, "DataPageHeaderV2.definition_levels_byte_length")
            case 6: repetitionLength = try r.i32(type, "DataPageHeaderV2.repetition_levels_byte_length")
            case 7: isCompressed = try r.readBoolField(type)
            case 8: statistics = try r.decode(type, "DataPageHeaderV2.statistics")
            default: try r.skip(type)
            }
        }
        guard let numValues, let numNulls, let numRows, let encoding, let definitionLength, let repetitionLength else {
            throw ThriftCompactReader.missing("DataPageHeaderV2 required fields")
        }
        guard numValues >= 0, numNulls >= 0, numRows >= 0, definitionLength >= 0, repetitionLength >= 0 else {
            throw ParquetError(.corrupt, "data page V2 header has negative counts or lengths")
        }
        self.init(
            numValues: numValues,
            numNulls: numNulls,
            numRows: numRows,
            encoding: try Encoding(decoding: encoding, field: "data page V2"),
            definitionLevelsByteLength: definitionLength,
            repetitionLevelsByteLength: repetitionLength,
            isCompressed: isCompressed,
            statistics: statistics
        )
    }
}

extension DictionaryPageHeader: ThriftDecodable {
    init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var numValues: Int32?
        var encoding: Int32 = Encoding.plain.rawValue
        var isSorted: Bool?
        try reader.readStruct { (r, type, id) throws(ParquetError) in
            switch id {
            case 1: numValues = try r.i32(type, "DictionaryPageHeader.num_values")
            case 2: encoding = try r.i32(type, "DictionaryPageHeader.encoding")
            case 3: isSorted = try r.readBoolField(type)
            default: try r.skip(type)
            }
        }
        guard let numValues else { throw ThriftCompactReader.missing("DictionaryPageHeader.num_values") }
        guard numValues >= 0 else {
            throw ParquetError(.corrupt, "dictionary page header has negative num_values \(numValues)")
        }
        self.init(
            numValues: numValues,
            encoding: try Encoding(decoding: encoding, field: "dictionary page"),
            isSorted: isSorted
        )
    }
}
