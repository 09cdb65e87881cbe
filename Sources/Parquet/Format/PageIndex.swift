/// `ColumnIndex`: per data page min/max and null information (PARQUET.md §5.2).
struct ColumnIndex: Sendable, Hashable, ThriftEncodable {
    enum BoundaryOrder: Int32, Sendable {
        case unordered = 0
        case ascending = 1
        case descending = 2
    }

    var nullPages: [Bool]
    var minValues: [[UInt8]]
    var maxValues: [[UInt8]]
    var boundaryOrder: BoundaryOrder
    var nullCounts: [Int64]?

    func encodeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, boolList: self.nullPages)
        writer.field(2, binaryList: self.minValues)
        writer.field(3, binaryList: self.maxValues)
        writer.field(4, i32: self.boundaryOrder.rawValue)
        if let nullCounts { writer.field(5, i64List: nullCounts) }
    }
}

/// `OffsetIndex`: where each data page of a column chunk is.
struct OffsetIndex: Sendable, Hashable, ThriftEncodable {
    var pageLocations: [PageLocation]

    func encodeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, structs: self.pageLocations)
    }
}

struct PageLocation: Sendable, Hashable, ThriftEncodable {
    var offset: Int64
    /// Header plus body.
    var compressedPageSize: Int32
    var firstRowIndex: Int64

    func encodeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, i64: self.offset)
        writer.field(2, i32: self.compressedPageSize)
        writer.field(3, i64: self.firstRowIndex)
    }
}

/// `BloomFilterHeader` for a split-block filter hashed with XXH64, uncompressed.
struct BloomFilterHeader: Sendable, Hashable, ThriftEncodable {
    var numBytes: Int32

    func encodeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, i32: self.numBytes)
        writer.beginStructField(2)
        writer.emptyStructField(1)
        writer.endStruct()
        writer.beginStructField(3)
        writer.emptyStructField(1)
        writer.endStruct()
        writer.beginStructField(4)
        writer.emptyStructField(1)
        writer.endStruct()
    }
}
