/// A leaf column of a schema with everything the writer and reader need to know about it.
public struct ColumnDescriptor: Sendable, Hashable {
    /// Names from the top-level field down to the leaf (excluding the root).
    public var path: [String]
    public var physicalType: PhysicalType
    public var typeLength: Int32?
    public var logicalType: LogicalType?
    public var convertedType: ConvertedType?
    public var repetition: Repetition
    public var maxDefinitionLevel: Int
    public var maxRepetitionLevel: Int

    /// `path` joined with dots, e.g. `tags.list.element`.
    public var dottedPath: String { self.path.joined(separator: ".") }

    /// How min/max statistics are ordered for this column (PARQUET.md §5.1).
    public var sortOrder: SortOrder {
        switch self.physicalType {
        case .boolean, .float, .double:
            return .signed
        case .int32, .int64:
            if case .integer(_, false) = self.logicalType { return .unsigned }
            switch self.convertedType {
            case .uint8, .uint16, .uint32, .uint64: return .unsigned
            default: return .signed
            }
        case .int96:
            return .undefined
        case .byteArray:
            if case .decimal = self.logicalType { return .undefined }
            return .unsigned
        case .fixedLenByteArray:
            switch self.logicalType {
            case .decimal, .float16: return .signed
            default: return self.convertedType == .interval ? .undefined : .unsigned
            }
        }
    }
}
