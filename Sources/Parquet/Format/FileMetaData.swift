/// `FileMetaData`: the footer.
struct FileMetaData: Sendable, ThriftEncodable {
    var version: Int32 = 1
    var schema: [SchemaElement]
    var numRows: Int64
    var rowGroups: [RowGroup]
    var keyValueMetadata: [KeyValue]?
    var createdBy: String?
    /// One entry per leaf.
    var columnOrders: [ColumnOrder]?
    /// Set when reading a file with an encrypted footer or encrypted columns (field 8).
    var isEncrypted = false

    func encodeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, i32: self.version)
        writer.field(2, structs: self.schema)
        writer.field(3, i64: self.numRows)
        writer.field(4, structs: self.rowGroups)
        if let keyValueMetadata { writer.field(5, structs: keyValueMetadata) }
        if let createdBy { writer.field(6, string: createdBy) }
        if let columnOrders { writer.field(7, structs: columnOrders) }
    }
}

/// `ColumnOrder` union; only TYPE_ORDER is written.
enum ColumnOrder: Sendable, Hashable, ThriftEncodable {
    case typeDefinedOrder
    case ieee754TotalOrder
    case unknown

    func encodeFields(to writer: inout ThriftCompactWriter) {
        switch self {
        case .typeDefinedOrder, .unknown: writer.emptyStructField(1)
        case .ieee754TotalOrder: writer.emptyStructField(2)
        }
    }
}

struct KeyValue: Sendable, Hashable, ThriftEncodable {
    var key: String
    var value: String?

    func encodeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, string: self.key)
        if let value { writer.field(2, string: value) }
    }
}

struct SchemaElement: Sendable, Hashable, ThriftEncodable {
    var type: PhysicalType?
    var typeLength: Int32?
    var repetitionType: Repetition?
    var name: String
    var numChildren: Int32?
    var convertedType: ConvertedType?
    var scale: Int32?
    var precision: Int32?
    var fieldID: Int32?
    var logicalType: LogicalType?

    func encodeFields(to writer: inout ThriftCompactWriter) {
        if let type { writer.field(1, i32: type.rawValue) }
        if let typeLength { writer.field(2, i32: typeLength) }
        if let repetitionType { writer.field(3, i32: repetitionType.rawValue) }
        writer.field(4, string: self.name)
        if let numChildren { writer.field(5, i32: numChildren) }
        if let convertedType { writer.field(6, i32: convertedType.rawValue) }
        if let scale { writer.field(7, i32: scale) }
        if let precision { writer.field(8, i32: precision) }
        if let fieldID { writer.field(9, i32: fieldID) }
        if let logicalType { writer.field(10, struct: logicalType) }
    }
}

struct RowGroup: Sendable, ThriftEncodable {
    var columns: [ColumnChunk]
    var totalByteSize: Int64
    var numRows: Int64
    var fileOffset: Int64?
    var totalCompressedSize: Int64?
    var ordinal: Int16?

    func encodeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, structs: self.columns)
        writer.field(2, i64: self.totalByteSize)
        writer.field(3, i64: self.numRows)
        if let fileOffset { writer.field(5, i64: fileOffset) }
        if let totalCompressedSize { writer.field(6, i64: totalCompressedSize) }
        if let ordinal { writer.field(7, i16: ordinal) }
    }
}

struct ColumnChunk: Sendable, ThriftEncodable {
    var fileOffset: Int64 = 0
    var metaData: ColumnMetaData
    var offsetIndexOffset: Int64?
    var offsetIndexLength: Int32?
    var columnIndexOffset: Int64?
    var columnIndexLength: Int32?
    /// Read from files only: the chunk carries crypto metadata (fields 8/9).
    var isEncrypted = false

    func encodeFields(to writer: inout ThriftCompactWriter) {
        writer.field(2, i64: self.fileOffset)
        writer.field(3, struct: self.metaData)
        if let offsetIndexOffset { writer.field(4, i64: offsetIndexOffset) }
        if let offsetIndexLength { writer.field(5, i32: offsetIndexLength) }
        if let columnIndexOffset { writer.field(6, i64: columnIndexOffset) }
        if let columnIndexLength { writer.field(7, i32: columnIndexLength) }
    }
}

struct ColumnMetaData: Sendable, ThriftEncodable {
    var type: PhysicalType
    var encodings: [Encoding]
    var pathInSchema: [String]
    var codec: CompressionCodec
    var numValues: Int64
    var totalUncompressedSize: Int64
    var totalCompressedSize: Int64
    var keyValueMetadata: [KeyValue]?
    var dataPageOffset: Int64
    var dictionaryPageOffset: Int64?
    var statistics: Statistics?
    var encodingStats: [PageEncodingStats]?
    var bloomFilterOffset: Int64?
    var bloomFilterLength: Int32?

    func encodeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, i32: self.type.rawValue)
        writer.field(2, i32List: self.encodings.map(\.rawValue))
        writer.field(3, stringList: self.pathInSchema)
        writer.field(4, i32: self.codec.rawValue)
        writer.field(5, i64: self.numValues)
        writer.field(6, i64: self.totalUncompressedSize)
        writer.field(7, i64: self.totalCompressedSize)
        if let keyValueMetadata { writer.field(8, structs: keyValueMetadata) }
        writer.field(9, i64: self.dataPageOffset)
        if let dictionaryPageOffset { writer.field(11, i64: dictionaryPageOffset) }
        if let statistics { writer.field(12, struct: statistics) }
        if let encodingStats { writer.field(13, structs: encodingStats) }
        if let bloomFilterOffset { writer.field(14, i64: bloomFilterOffset) }
        if let bloomFilterLength { writer.field(15, i32: bloomFilterLength) }
    }
}

struct PageEncodingStats: Sendable, Hashable, ThriftEncodable {
    var pageType: PageType
    var encoding: Encoding
    var count: Int32

    func encodeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, i32: self.pageType.rawValue)
        writer.field(2, i32: self.encoding.rawValue)
        writer.field(3, i32: self.count)
    }
}
