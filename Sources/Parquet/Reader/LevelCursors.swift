/// The read positions in the leaf columns of one row group while ``RecordAssembler`` rebuilds
/// records: one level cursor and one value cursor per column.
///
/// Each ``AssemblyNode`` decides from the levels of its first leaf (null, empty, one more element)
/// and checks that its other leaves agree, so every slot is read once and every value is built once.
struct LevelCursors {
    private let columns: [ColumnDescriptor]
    private let batches: [ColumnBatch]
    /// Level slots of each column.
    private let slotCounts: [Int]
    /// Next slot of each column.
    private var slots: [Int]
    /// Next value of each column.
    private var values: [Int]

    /// `batches` have been checked by ``RecordAssembler``: level streams of equal length, levels
    /// within bounds, one value per slot at the maximum definition level, values of the physical type.
    init(columns: [ColumnDescriptor], batches: [ColumnBatch], slotCounts: [Int]) {
        self.columns = columns
        self.batches = batches
        self.slotCounts = slotCounts
        self.slots = Array(repeating: 0, count: columns.count)
        self.values = Array(repeating: 0, count: columns.count)
    }

    /// Checks that every column starts a new row at its cursor (repetition level 0).
    func checkRowStart(row: Int) throws(ParquetError) {
        for leaf in 0..<self.columns.count {
            let slot = self.slots[leaf]
            guard slot < self.slotCounts[leaf] else {
                throw ParquetError(.corrupt, "column '\(self.columns[leaf].dottedPath)' ends before row \(row)")
            }
            if self.columns[leaf].maxRepetitionLevel > 0 {
                let level = self.batches[leaf].repetitionLevels[slot]
                guard level == 0 else {
                    throw ParquetError(
                        .corrupt,
                        "column '\(self.columns[leaf].dottedPath)': row \(row) starts at repetition level \(level), not 0"
                    )
                }
            }
        }
    }

    /// Checks that every column has been read to its end.
    func checkFinished() throws(ParquetError) {
        for leaf in 0..<self.columns.count where self.slots[leaf] != self.slotCounts[leaf] {
            throw ParquetError(
                .corrupt,
                "column '\(self.columns[leaf].dottedPath)' has \(self.slotCounts[leaf] - self.slots[leaf]) level slots left after the last row"
            )
        }
    }

    /// The value of `node` at the cursors, which move past it.
    mutating func read(_ node: AssemblyNode) throws(ParquetError) -> ParquetValue {
        let first = node.leaves.lowerBound
        if let nullDefinition = node.nullDefinition {
            let level = try self.definitionLevel(first, of: node)
            if level < nullDefinition {
                try self.skip(node, definitionLevel: level)
                return .null
            }
        }
        switch node.kind {
        case .leaf(let decoding):
            return try self.readLeaf(decoding, of: node)
        case .group(let names, let children):
            var fields = [String: ParquetValue](minimumCapacity: names.count)
            for index in 0..<children.count {
                fields[names[index]] = try self.read(children[index])
            }
            return .group(fields)
        case .list(let element, let repeatedDefinition, let repetitionLevel):
            let level = try self.definitionLevel(first, of: node)
            if level < repeatedDefinition {
                try self.skip(node, definitionLevel: level)
                return .list([])
            }
            var elements: [ParquetValue] = []
            repeat {
                elements.append(try self.read(element))
            } while try self.continues(node, repetitionLevel: repetitionLevel)
            return .list(elements)
        case .map(let key, let value, let repeatedDefinition, let repetitionLevel):
            let level = try self.definitionLevel(first, of: node)
            if level < repeatedDefinition {
                try self.skip(node, definitionLevel: level)
                return .map([])
            }
            var entries: [ParquetValue.MapEntry] = []
            repeat {
                let entryKey = try self.read(key)
                var entryValue = ParquetValue.null
                if let value { entryValue = try self.read(value) }
                entries.append(ParquetValue.MapEntry(entryKey, entryValue))
            } while try self.continues(node, repetitionLevel: repetitionLevel)
            return .map(entries)
        }
    }

    /// The definition level of column `leaf` at its cursor, which must be at least the level that
    /// `node`'s parent was found present at.
    private func definitionLevel(_ leaf: Int, of node: AssemblyNode) throws(ParquetError) -> Int {
        let slot = self.slots[leaf]
        guard slot < self.slotCounts[leaf] else {
            throw ParquetError(
                .corrupt,
                "column '\(self.columns[leaf].dottedPath)' ran out of levels inside '\(node.path)'"
            )
        }
        guard self.columns[leaf].maxDefinitionLevel > 0 else { return 0 }
        let level = Int(self.batches[leaf].definitionLevels[slot])
        guard level >= node.parentDefinition else {
            throw ParquetError(
                .corrupt,
                "column '\(self.columns[leaf].dottedPath)' has definition level \(level) inside '\(node.path)', whose parent its sibling columns define at \(node.parentDefinition)"
            )
        }
        return level
    }

    private func repetitionLevel(_ leaf: Int) -> Int {
        guard self.columns[leaf].maxRepetitionLevel > 0 else { return 0 }
        return Int(self.batches[leaf].repetitionLevels[self.slots[leaf]])
    }

    /// Moves every column under `node` past one slot that is null or empty at `definitionLevel`.
    private mutating func skip(_ node: AssemblyNode, definitionLevel level: Int) throws(ParquetError) {
        let first = node.leaves.lowerBound
        let repetition = self.repetitionLevel(first)
        self.slots[first] += 1
        for leaf in node.leaves.dropFirst() {
            let other = try self.definitionLevel(leaf, of: node)
            guard other == level, self.repetitionLevel(leaf) == repetition else {
                throw self.disagreement(node, first, leaf)
            }
            self.slots[leaf] += 1
        }
    }

    /// Whether the repeated `node` has another element: the next slot of every column under it
    /// repeats at `repetitionLevel`.
    private func continues(_ node: AssemblyNode, repetitionLevel level: Int) throws(ParquetError) -> Bool {
        let first = node.leaves.lowerBound
        let more = self.repeats(first, at: level)
        for leaf in node.leaves.dropFirst() where self.repeats(leaf, at: level) != more {
            throw self.disagreement(node, first, leaf)
        }
        return more
    }

    private func repeats(_ leaf: Int, at level: Int) -> Bool {
        self.slots[leaf] < self.slotCounts[leaf] && self.repetitionLevel(leaf) == level
    }

    private func disagreement(_ node: AssemblyNode, _ first: Int, _ leaf: Int) -> ParquetError {
        ParquetError(
            .corrupt,
            "columns '\(self.columns[first].dottedPath)' and '\(self.columns[leaf].dottedPath)' of '\(node.path)' have level streams of different shapes (slot \(self.slots[first]) vs \(self.slots[leaf]))"
        )
    }

    private mutating func readLeaf(_ decoding: LeafDecoding, of node: AssemblyNode) throws(ParquetError) -> ParquetValue
    {
        let leaf = decoding.leaf
        let level = try self.definitionLevel(leaf, of: node)
        let column = self.columns[leaf]
        guard level == column.maxDefinitionLevel else {
            throw ParquetError(
                .corrupt,
                "column '\(column.dottedPath)' has definition level \(level) for required field '\(node.path)' (expected \(column.maxDefinitionLevel))"
            )
        }
        self.slots[leaf] += 1
        // In bounds: RecordAssembler checked that the column holds one value per slot at the maximum
        // definition level, and each slot is read once.
        let index = self.values[leaf]
        self.values[leaf] = index + 1
        switch self.batches[leaf].values {
        case .boolean(let values): return .boolean(values[index])
        case .int32(let values): return .int32(values[index])
        case .int64(let values): return .int64(values[index])
        case .float(let values): return .float(values[index])
        case .double(let values): return .double(values[index])
        case .byteArray(let values), .fixedLenByteArray(let values):
            let bytes = values[index]
            if decoding.isText, let text = String(validating: bytes, as: UTF8.self) {
                return .string(text)
            }
            return .bytes(Array(bytes))
        }
    }
}
