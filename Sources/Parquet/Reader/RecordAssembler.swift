/// Rebuilds records from the column batches of one row group (the inverse of ``RecordShredder``),
/// for arbitrary nesting and the legacy list/map shapes.
///
/// Output: every assembled top-level field is present in each record (`.null` when null). Text
/// columns (STRING, JSON, ENUM, or ConvertedType UTF8, JSON, ENUM) give `.string` when their bytes
/// are valid UTF-8 and `.bytes` otherwise; other byte columns and INT96 give `.bytes`; numbers keep
/// their physical case. Lists give `.list`, maps `.map` in stored order, structs `.group` with
/// every child present. Legacy shapes follow `LogicalTypes.md`'s backward-compatibility rules:
/// an un-annotated repeated field is a list of required elements, a 2-level LIST's repeated field
/// is the element, and a MAP or MAP_KEY_VALUE group without a value field maps keys to `.null`.
struct RecordAssembler: Sendable {
    let schema: ParquetSchema
    /// Names of the assembled top-level fields.
    private let names: [String]
    /// One plan per assembled top-level field.
    private let nodes: [AssemblyNode]

    /// Leaf column indices (into schema.columns) the caller must supply batches for, in order.
    let leafColumns: [Int]

    /// `fields`: indices into schema.fields of the top-level fields to assemble (projection), ascending.
    init(schema: ParquetSchema, fields: [Int]) throws(ParquetError) {
        var firstColumns: [Int] = []
        firstColumns.reserveCapacity(schema.fields.count + 1)
        var column = 0
        for field in schema.fields {
            firstColumns.append(column)
            column += RecordShredder.leafCount(field)
        }
        firstColumns.append(column)
        guard column == schema.columns.count else {
            throw ParquetError(
                .invalidSchema,
                "the schema's fields have \(column) leaves but it lists \(schema.columns.count) columns"
            )
        }
        var names: [String] = []
        var nodes: [AssemblyNode] = []
        var leafColumns: [Int] = []
        var previous = -1
        for index in fields {
            guard index > previous, index < schema.fields.count else {
                throw ParquetError(
                    .invalidArgument,
                    "field indices must be ascending and below \(schema.fields.count); got \(fields)"
                )
            }
            previous = index
            let field = schema.fields[index]
            var planner = AssemblyNode.Planner(
                columns: schema.columns,
                nextColumn: firstColumns[index],
                nextLeaf: leafColumns.count
            )
            nodes.append(try planner.plan(field, parentDefinition: 0, parentRepetition: 0, parentPath: ""))
            guard planner.nextColumn == firstColumns[index + 1] else {
                throw ParquetError(.invalidSchema, "field '\(field.name)' does not cover its columns")
            }
            names.append(field.name)
            leafColumns.append(contentsOf: firstColumns[index]..<firstColumns[index + 1])
        }
        self.schema = schema
        self.names = names
        self.nodes = nodes
        self.leafColumns = leafColumns
    }

    /// `batches[i]` belongs to `leafColumns[i]`; every batch holds `rowCount` rows.
    func assemble(_ batches: [ColumnBatch], rowCount: Int) throws(ParquetError) -> [[String: ParquetValue]] {
        guard batches.count == self.leafColumns.count else {
            throw ParquetError(
                .invalidArgument,
                "the assembler needs \(self.leafColumns.count) column batches but got \(batches.count)"
            )
        }
        guard rowCount >= 0 else { throw ParquetError(.invalidArgument, "row count \(rowCount) is negative") }
        let columns = self.leafColumns.map { self.schema.columns[$0] }
        var slotCounts: [Int] = []
        slotCounts.reserveCapacity(columns.count)
        var firstRows: (path: String, rows: Int)? = nil
        for leaf in 0..<columns.count {
            let shape = try Self.check(batches[leaf], of: columns[leaf])
            slotCounts.append(shape.slots)
            if let firstRows, firstRows.rows != shape.rows {
                throw ParquetError(
                    .corrupt,
                    "column \(firstRows.path) has \(firstRows.rows) rows, column \(columns[leaf].dottedPath) has \(shape.rows)"
                )
            }
            if firstRows == nil { firstRows = (columns[leaf].dottedPath, shape.rows) }
        }
        if let firstRows, firstRows.rows != rowCount {
            throw ParquetError(
                .corrupt,
                "column \(firstRows.path) has \(firstRows.rows) rows but the row group has \(rowCount)"
            )
        }

        var cursors = LevelCursors(columns: columns, batches: batches, slotCounts: slotCounts)
        var records: [[String: ParquetValue]] = []
        records.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            try cursors.checkRowStart(row: row)
            var record = [String: ParquetValue](minimumCapacity: self.nodes.count)
            for index in 0..<self.nodes.count {
                record[self.names[index]] = try cursors.read(self.nodes[index])
            }
            records.append(record)
        }
        try cursors.checkFinished()
        return records
    }

    /// Checks one column's batch on its own and returns its level slots and rows.
    private static func check(
        _ batch: ColumnBatch,
        of column: ColumnDescriptor
    ) throws(ParquetError) -> (slots: Int, rows: Int) {
        let path = column.dottedPath
        let matches: Bool
        switch (batch.values, column.physicalType) {
        case (.boolean, .boolean), (.int32, .int32), (.int64, .int64), (.float, .float), (.double, .double),
            (.byteArray, .byteArray), (.fixedLenByteArray, .fixedLenByteArray), (.fixedLenByteArray, .int96):
            matches = true
        default:
            matches = false
        }
        guard matches else {
            throw ParquetError(.corrupt, "column \(path) is \(column.physicalType) but its batch holds other values")
        }
        let maxDefinition = column.maxDefinitionLevel
        let maxRepetition = column.maxRepetitionLevel
        let definitions = batch.definitionLevels
        let repetitions = batch.repetitionLevels

        guard maxDefinition > 0 || definitions.isEmpty else {
            throw ParquetError(.corrupt, "column \(path) has definition levels but its max definition level is 0")
        }
        guard maxRepetition > 0 || repetitions.isEmpty else {
            throw ParquetError(.corrupt, "column \(path) has repetition levels but its max repetition level is 0")
        }
        if maxDefinition > 0 && maxRepetition > 0 && definitions.count != repetitions.count {
            throw ParquetError(
                .corrupt,
                "column \(path) has \(definitions.count) definition levels but \(repetitions.count) repetition levels"
            )
        }

        var valueSlots = batch.values.count
        if maxDefinition > 0 {
            valueSlots = 0
            var highest: UInt8 = 0
            for level in definitions {
                if Int(level) == maxDefinition { valueSlots += 1 }
                highest = max(highest, level)
            }
            guard Int(highest) <= maxDefinition else {
                throw ParquetError(
                    .corrupt,
                    "column \(path) has definition level \(highest) above its maximum \(maxDefinition)"
                )
            }
        }
        guard valueSlots == batch.values.count else {
            throw ParquetError(
                .corrupt,
                "column \(path) has \(batch.values.count) values but its definition levels call for \(valueSlots)"
            )
        }

        let slots = maxDefinition > 0 ? definitions.count : batch.values.count
        guard maxRepetition > 0 else { return (slots, slots) }
        if let first = repetitions.first, first != 0 {
            throw ParquetError(.corrupt, "column \(path) starts at repetition level \(first); a row must start at 0")
        }
        var rows = 0
        var highest: UInt8 = 0
        for level in repetitions {
            if level == 0 { rows += 1 }
            highest = max(highest, level)
        }
        guard Int(highest) <= maxRepetition else {
            throw ParquetError(
                .corrupt,
                "column \(path) has repetition level \(highest) above its maximum \(maxRepetition)"
            )
        }
        return (slots, rows)
    }
}
