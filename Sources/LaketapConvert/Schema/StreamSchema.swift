public import Parquet

/// The fields of a stream's records and the Parquet schema they are written with.
///
/// When ``overflowColumn`` is set, values that the schema cannot represent (unknown fields,
/// conflicting types) are kept, as a JSON object of the member name to the raw value, in that
/// column instead of rejecting the record.
public struct StreamSchema: Sendable, Hashable {
    public var fields: [StreamField]
    /// Name of the JSON column that keeps what the schema cannot represent; nil to reject instead.
    public var overflowColumn: String?

    public static let defaultOverflowColumn = "_extra"

    public init(fields: [StreamField], overflowColumn: String? = StreamSchema.defaultOverflowColumn) {
        self.fields = fields
        self.overflowColumn = overflowColumn
    }

    /// The Parquet schema: the fields in order, then the overflow column.
    public func parquetSchema() throws(ParquetError) -> ParquetSchema {
        var fields = self.fields.map(\.parquetField)
        if let overflow = self.overflowColumn, !self.fields.contains(where: { $0.name == overflow }) {
            fields.append(.json(overflow))
        }
        return try ParquetSchema(fields)
    }
}
