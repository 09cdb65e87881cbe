/// `PageHeader` and the per-kind headers it carries.
struct PageHeader: Sendable, Hashable, ThriftEncodable {
    var type: PageType
    var uncompressedPageSize: Int32
    var compressedPageSize: Int32
    var crc: Int32?
    var dataPageHeader: DataPageHeader?
    var dictionaryPageHeader: DictionaryPageHeader?
    var dataPageHeaderV2: DataPageHeaderV2?

    func encodeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, i32: self.type.rawValue)
        writer.field(2, i32: self.uncompressedPageSize)
        writer.field(3, i32: self.compressedPageSize)
        if let crc { writer.field(4, i32: crc) }
        if let dataPageHeader { writer.field(5, struct: dataPageHeader) }
        if let dictionaryPageHeader { writer.field(7, struct: dictionaryPageHeader) }
        if let dataPageHeaderV2 { writer.field(8, struct: dataPageHeaderV2) }
    }
}

struct DataPageHeader: Sendable, Hashable, ThriftEncodable {
    var numValues: Int32
    var encoding: Encoding
    var definitionLevelEncoding: Encoding = .rle
    var repetitionLevelEncoding: Encoding = .rle
    var statistics: Statistics?

    func encodeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, i32: self.numValues)
        writer.field(2, i32: self.encoding.rawValue)
        writer.field(3, i32: self.definitionLevelEncoding.rawValue)
        writer.field(4, i32: self.repetitionLevelEncoding.rawValue)
        if let statistics { writer.field(5, struct: statistics) }
    }
}

struct DataPageHeaderV2: Sendable, Hashable, ThriftEncodable {
    var numValues: Int32
    var numNulls: Int32
    var numRows: Int32
    var encoding: Encoding
    var definitionLevelsByteLength: Int32
    var repetitionLevelsByteLength: Int32
    var isCompressed: Bool?
    var statistics: Statistics?

    func encodeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, i32: self.numValues)
        writer.field(2, i32: self.numNulls)
        writer.field(3, i32: self.numRows)
        writer.field(4, i32: self.encoding.rawValue)
        writer.field(5, i32: self.definitionLevelsByteLength)
        writer.field(6, i32: self.repetitionLevelsByteLength)
        if let isCompressed { writer.field(7, bool: isCompressed) }
        if let statistics { writer.field(8, struct: statistics) }
    }
}

struct DictionaryPageHeader: Sendable, Hashable, ThriftEncodable {
    var numValues: Int32
    var encoding: Encoding = .plain
    var isSorted: Bool?

    func encodeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, i32: self.numValues)
        writer.field(2, i32: self.encoding.rawValue)
        if let isSorted { writer.field(3, bool: isSorted) }
    }
}
