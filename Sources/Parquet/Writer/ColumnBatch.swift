/// Values of one leaf column, in bulk: the typed array of the column's physical type.
public enum ColumnValues: Sendable {
    case boolean([Bool])
    case int32([Int32])
    case int64([Int64])
    case float([Float])
    case double([Double])
    /// BYTE_ARRAY values. The buffer's `bytes` may run on past its last offset (a producer's slack,
    /// handed back to it with the batch); only the bytes the offsets cover are values.
    case byteArray(ByteArrayBuffer)
    /// FIXED_LEN_BYTE_ARRAY and INT96 values; each must be exactly the column's width.
    case fixedLenByteArray(ByteArrayBuffer)

    public var count: Int {
        switch self {
        case .boolean(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .float(let v): v.count
        case .double(let v): v.count
        case .byteArray(let v): v.count
        case .fixedLenByteArray(let v): v.count
        }
    }
}

/// One column's share of a batch of rows: levels (Dremel, PARQUET.md §3) and the non-null values.
///
/// `definitionLevels` is empty when the column's max definition level is 0 and
/// `repetitionLevels` is empty when its max repetition level is 0. `values` holds exactly one
/// value per slot whose definition level equals the maximum.
public struct ColumnBatch: Sendable {
    public var values: ColumnValues
    public var definitionLevels: [UInt8]
    public var repetitionLevels: [UInt8]

    public init(values: ColumnValues, definitionLevels: [UInt8] = [], repetitionLevels: [UInt8] = []) {
        self.values = values
        self.definitionLevels = definitionLevels
        self.repetitionLevels = repetitionLevels
    }
}
