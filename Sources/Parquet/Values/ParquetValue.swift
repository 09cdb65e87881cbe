/// A value of a Parquet record, for code that works row by row: tests, small tools, record
/// assembly in the reader. The bulk write path takes typed ``ColumnBatch``es instead.
public indirect enum ParquetValue: Sendable, Hashable {
    case null
    case boolean(Bool)
    case int32(Int32)
    case int64(Int64)
    case float(Float)
    case double(Double)
    /// BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY or INT96 bytes.
    case bytes([UInt8])
    /// UTF-8 text for a BYTE_ARRAY column.
    case string(String)
    case list([ParquetValue])
    case map([MapEntry])
    /// A struct: fields by name; a missing name is null.
    case group([String: ParquetValue])

    public struct MapEntry: Sendable, Hashable {
        public var key: ParquetValue
        public var value: ParquetValue

        public init(_ key: ParquetValue, _ value: ParquetValue) {
            self.key = key
            self.value = value
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
