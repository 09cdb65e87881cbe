/// `Statistics` (parquet.thrift): encoded min/max and counts of a page or column chunk.
struct Statistics: Sendable, Hashable, ThriftEncodable {
    /// Deprecated `max` (1) / `min` (2): written only for signed sort orders.
    var legacyMax: [UInt8]?
    var legacyMin: [UInt8]?
    var nullCount: Int64?
    var distinctCount: Int64?
    var maxValue: [UInt8]?
    var minValue: [UInt8]?
    var isMaxValueExact: Bool?
    var isMinValueExact: Bool?
    var nanCount: Int64?

    func encodeFields(to writer: inout ThriftCompactWriter) {
        if let legacyMax { writer.field(1, binary: legacyMax) }
        if let legacyMin { writer.field(2, binary: legacyMin) }
        if let nullCount { writer.field(3, i64: nullCount) }
        if let distinctCount { writer.field(4, i64: distinctCount) }
        if let maxValue { writer.field(5, binary: maxValue) }
        if let minValue { writer.field(6, binary: minValue) }
        if let isMaxValueExact { writer.field(7, bool: isMaxValueExact) }
        if let isMinValueExact { writer.field(8, bool: isMinValueExact) }
        if let nanCount { writer.field(9, i64: nanCount) }
    }
}
