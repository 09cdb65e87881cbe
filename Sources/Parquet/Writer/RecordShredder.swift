/// Turns records of ``ParquetValue``s into column batches with Dremel levels (PARQUET.md §3).
///
/// Convenient for tests and small tools; a hot path should fill typed ``ColumnBatch``es directly.
public struct RecordShredder: Sendable {
    public let schema: ParquetSchema
    private var leaves: [LeafBuilder]

    public init(schema: ParquetSchema) {
        self.schema = schema
        self.leaves = schema.columns.map { LeafBuilder(column: $0) }
    }

    public private(set) var rowCount = 0

    /// Adds one record; top-level fields missing from `record` are null.
    public mutating func append(_ record: [String: ParquetValue]) throws(ParquetError) {
        var leafIndex = 0
        for field in self.schema.fields {
            try self.shred(
                field,
                record[field.name] ?? .null,
                definition: 0,
                repetition: 0,
                repetitionDepth: 0,
                path: field.name,
                leaf: &leafIndex
            )
        }
        self.rowCount += 1
    }

    /// The batches built so far, one per leaf column; the shredder starts empty again.
    public mutating func makeBatches() -> [ColumnBatch] {
        defer {
            self.leaves = self.schema.columns.map { LeafBuilder(column: $0) }
            self.rowCount = 0
        }
        return self.leaves.map { $0.batch }
    }

    private mutating func shred(
        _ field: Field,
        _ value: ParquetValue,
        definition: Int,
        repetition: Int,
        repetitionDepth: Int,
        path: String,
        leaf: inout Int
    ) throws(ParquetError) {
        if value.isNull {
            if field.repetition == .required {
                throw ParquetError(.invalidData, "required field '\(path)' is null")
            }
            let count = Self.leafCount(field)
            for index in leaf..<(leaf + count) {
                self.leaves[index].appendNull(definition: definition, repetition: repetition)
            }
            leaf += count
            return
        }
        let depth = definition + (field.repetition == .optional ? 1 : 0)
        switch field.kind {
        case .primitive:
            try self.leaves[leaf].append(value, definition: depth, repetition: repetition, path: path)
            leaf += 1
        case .group(let children, nil):
            guard case .group(let fields) = value else {
                throw ParquetError(.invalidData, "field '\(path)' is a group but the value is \(value)")
            }
            for child in children {
                try self.shred(
                    child,
                    fields[child.name] ?? .null,
                    definition: depth,
                    repetition: repetition,
                    repetitionDepth: repetitionDepth,
                    path: path + "." + child.name,
                    leaf: &leaf
                )
            }
        case .group(let children, .list):
            guard case .list(let elements) = value else {
                throw ParquetError(.invalidData, "field '\(path)' is a list but the value is \(value)")
            }
            guard case .group(let inner, _) = children[0].kind else { return }
            try self.shredRepeated(
                count: elements.count,
                leafCount: Self.leafCount(field),
                definition: depth,
                repetition: repetition,
                repetitionDepth: repetitionDepth,
                leaf: &leaf
            ) { (this, index, elementRepetition, leaf) throws(ParquetError) in
                try this.shred(
                    inner[0],
                    elements[index],
                    definition: depth + 1,
                    repetition: elementRepetition,
                    repetitionDepth: repetitionDepth + 1,
                    path: path + ".element",
                    leaf: &leaf
                )
            }
        case .group(let children, .map):
            guard case .map(let entries) = value else {
                throw ParquetError(.invalidData, "field '\(path)' is a map but the value is \(value)")
            }
            guard case .group(let inner, _) = children[0].kind else { return }
            try self.shredRepeated(
                count: entries.count,
                leafCount: Self.leafCount(field),
                definition: depth,
                repetition: repetition,
                repetitionDepth: repetitionDepth,
                leaf: &leaf
            ) { (this, index, entryRepetition, leaf) throws(ParquetError) in
                try this.shred(
                    inner[0],
                    entries[index].key,
                    definition: depth + 1,
                    repetition: entryRepetition,
                    repetitionDepth: repetitionDepth + 1,
                    path: path + ".key",
                    leaf: &leaf
                )
                try this.shred(
                    inner[1],
                    entries[index].value,
                    definition: depth + 1,
                    repetition: entryRepetition,
                    repetitionDepth: repetitionDepth + 1,
                    path: path + ".value",
                    leaf: &leaf
                )
            }
        }
    }

    /// Shreds `count` repeated children; an empty container emits one slot per leaf.
    private mutating func shredRepeated(
        count: Int,
        leafCount: Int,
        definition: Int,
        repetition: Int,
        repetitionDepth: Int,
        leaf: inout Int,
        _ child: (inout RecordShredder, Int, Int, inout Int) throws(ParquetError) -> Void
    ) throws(ParquetError) {
        let first = leaf
        if count == 0 {
            for index in first..<(first + leafCount) {
                self.leaves[index].appendNull(definition: definition, repetition: repetition)
            }
            leaf += leafCount
            return
        }
        for index in 0..<count {
            leaf = first
            try child(&self, index, index == 0 ? repetition : repetitionDepth + 1, &leaf)
        }
    }

    static func leafCount(_ field: Field) -> Int {
        switch field.kind {
        case .primitive: return 1
        case .group(let children, _): return children.reduce(0) { $0 + leafCount($1) }
        }
    }
}

/// Typed buffers of one leaf column.
private struct LeafBuilder: Sendable {
    let column: ColumnDescriptor
    var definitionLevels: [UInt8] = []
    var repetitionLevels: [UInt8] = []
    var booleans: [Bool] = []
    var int32s: [Int32] = []
    var int64s: [Int64] = []
    var floats: [Float] = []
    var doubles: [Double] = []
    var bytes = ByteArrayBuffer()

    init(column: ColumnDescriptor) {
        self.column = column
    }

    mutating func appendLevels(definition: Int, repetition: Int) {
        if self.column.maxDefinitionLevel > 0 { self.definitionLevels.append(UInt8(definition)) }
        if self.column.maxRepetitionLevel > 0 { self.repetitionLevels.append(UInt8(repetition)) }
    }

    mutating func appendNull(definition: Int, repetition: Int) {
        self.appendLevels(definition: definition, repetition: repetition)
    }

    mutating func append(_ value: ParquetValue, definition: Int, repetition: Int, path: String) throws(ParquetError) {
        switch (self.column.physicalType, value) {
        case (.boolean, .boolean(let v)): self.booleans.append(v)
        case (.int32, .int32(let v)): self.int32s.append(v)
        case (.int64, .int64(let v)): self.int64s.append(v)
        case (.float, .float(let v)): self.floats.append(v)
        case (.double, .double(let v)): self.doubles.append(v)
        case (.byteArray, .string(let v)), (.fixedLenByteArray, .string(let v)): self.bytes.append(v)
        case (.byteArray, .bytes(let v)), (.fixedLenByteArray, .bytes(let v)), (.int96, .bytes(let v)):
            self.bytes.append(v)
        default:
            throw ParquetError(.invalidData, "field '\(path)' is \(self.column.physicalType) but the value is \(value)")
        }
        self.appendLevels(definition: definition, repetition: repetition)
    }

    var batch: ColumnBatch {
        let values: ColumnValues
        switch self.column.physicalType {
        case .boolean: values = .boolean(self.booleans)
        case .int32: values = .int32(self.int32s)
        case .int64: values = .int64(self.int64s)
        case .float: values = .float(self.floats)
        case .double: values = .double(self.doubles)
        case .byteArray: values = .byteArray(self.bytes)
        case .fixedLenByteArray, .int96: values = .fixedLenByteArray(self.bytes)
        }
        return ColumnBatch(
            values: values,
            definitionLevels: self.definitionLevels,
            repetitionLevels: self.repetitionLevels
        )
    }
}
