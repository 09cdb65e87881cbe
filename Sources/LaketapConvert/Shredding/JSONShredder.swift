public import JSONScan
public import Parquet

/// Shreds JSON records straight from the scanner into typed Parquet column buffers.
///
/// Not copyable: a shredder owns its buffers (the column builders, the path, the record's level row),
/// which it writes through pointers, so no per-record or per-value check has to ask whether a copy
/// shares them.
///
/// A record either lands whole or not at all: on a rejection every column is rolled back to where
/// the record began. Values the schema cannot represent (unknown fields, type conflicts, duplicate
/// keys) go, with their path, into the schema's overflow JSON column when it has one, and reject the
/// record otherwise.
public struct JSONShredder: ~Copyable {
    public let schema: StreamSchema
    public let parquetSchema: ParquetSchema
    public let scanOptions: JSONScanOptions
    private let plan: ShreddingPlan
    /// The column builders, reached through a pointer: appending a value checks only the array it goes
    /// into, not also the array of builders around it.
    private let builders: FixedBuffer<ColumnBuilder>
    private let overflowColumn: Int?
    private var overflow: [UInt8] = []
    private var scratch: [UInt8] = []
    /// Flat columns' definition levels, a row per record.
    private var flatLevels: FlatLevels
    /// Where each column in a list or map stood when the record in progress began (by column), for
    /// rolling a rejected record back; a column's mark is taken when the record first touches it. A flat
    /// column takes one value per record at most, so it needs no mark: the record's value is its last.
    private let marks: FixedBuffer<ColumnBuilder.Mark>
    private let markedInRecord: FixedBuffer<Int>
    /// The columns the record in progress changed, in its first `touchedCount` slots (one per column at
    /// most): emptied per record by the count, not by `removeAll`, which was a call per record.
    private let touched: FixedBuffer<Int>
    private var touchedCount = 0
    private var recordNumber = 0
    /// For each member, the member (its offset in its object) whose key followed it last, or -1; after
    /// the members, the same for each object's first key (by its lookup). The shredder tries that key
    /// first: records mostly list their fields in one order, or in a few.
    private let successors: FixedBuffer<Int32>
    /// Each column's last date, for its next timestamp text (the same day's is not parsed again).
    private let recentDates: FixedBuffer<TimestampParser.RecentDate>
    /// Where the shredder is in the record (its first `pathCount` components); turned into text only
    /// for overflow keys and messages, so the hot path allocates no path strings.
    private var path: PathStack
    private var pathCount = 0
    public private(set) var recordCount = 0

    public init(schema: StreamSchema, scanOptions: JSONScanOptions = JSONScanOptions()) throws(ParquetError) {
        self.schema = schema
        self.scanOptions = scanOptions
        self.parquetSchema = try schema.parquetSchema()
        self.plan = ShreddingPlan(schema.fields)
        self.path = PathStack(capacity: self.plan.depth)
        let builders = self.parquetSchema.columns.map { ColumnBuilder(column: $0) }
        self.builders = FixedBuffer(builders)
        self.overflowColumn = self.plan.columnCount < builders.count ? self.plan.columnCount : nil
        self.flatLevels = FlatLevels(builders: builders)
        self.marks = FixedBuffer(builders.map(\.mark))
        self.markedInRecord = FixedBuffer(repeating: 0, count: builders.count)
        self.touched = FixedBuffer(repeating: 0, count: builders.count)
        self.successors = FixedBuffer(repeating: -1, count: self.plan.members.count + self.plan.lookups.count)
        self.recentDates = FixedBuffer(repeating: .init(), count: builders.count)
    }

    /// Bytes of values buffered, roughly; the caller writes a batch when it grows large.
    public var bufferedBytes: Int {
        // By index: `for builder in builders` would copy each builder, retaining and releasing its arrays.
        var total = self.flatLevels.byteCount
        for index in self.builders.indices { total += self.builders[index].bufferedBytes }
        return total
    }

    /// Adds one record (the bytes of one JSON object).
    public mutating func append(
        _ record: UnsafeRawBufferPointer,
        line: Int = 1,
        byteOffset: Int = 0
    ) throws(RecordRejection) {
        self.recordNumber &+= 1
        self.touchedCount = 0
        self.flatLevels.startRecord()
        if !self.overflow.isEmpty { self.overflow.removeAll(keepingCapacity: true) }
        self.pathCount = 0
        var scanner = JSONScanner(record, options: self.scanOptions, baseOffset: byteOffset, line: line)
        do throws(RecordRejection) {
            let first = try Self.next(&scanner)
            guard case .beginObject = first else {
                throw RecordRejection(.notAnObject, "the record is \(Self.describe(first)), not a JSON object")
            }
            try self.shred(ShreddingPlan.root, first, &scanner, definition: 0, repetition: 0, nullDefinition: nil)
            guard case .endOfInput = try Self.next(&scanner) else {
                throw RecordRejection(.invalidJSON, "content after the record's object")
            }
            if let column = self.overflowColumn {
                if self.overflow.isEmpty {
                    self.setLevels(column, definition: 0, repetition: 0)
                } else {
                    self.overflow.insert(UInt8(ascii: "{"), at: 0)
                    self.overflow.append(UInt8(ascii: "}"))
                    self.overflow.withUnsafeBytes { self.builders[column].appendValue($0) }
                    self.appended(column)
                    self.setLevels(column, definition: 1, repetition: 0)
                }
            }
        } catch {
            for slot in 0..<self.touchedCount {
                let column = self.touched[slot]
                if self.flatLevels.isFlat[column] {
                    self.builders[column].removeLastValue()
                } else {
                    self.builders[column].rollBack(to: self.marks[column])
                }
            }
            throw error
        }
        self.flatLevels.commitRecord()
        self.recordCount += 1
    }

    /// Gives the buffers of written batches back, so the next records reuse their capacity instead
    /// of allocating (and page-faulting in) fresh memory.
    public mutating func recycle(_ batches: inout [ColumnBatch]) {
        guard batches.count == self.builders.count else { return }
        for index in self.builders.indices { self.builders[index].recycle(&batches[index]) }
        batches.removeAll()
    }

    /// The buffered records as one batch per leaf column; the shredder starts empty again.
    public mutating func makeBatches() -> [ColumnBatch] {
        defer { self.recordCount = 0 }
        self.flatLevels.moveRows(into: self.builders)
        var batches: [ColumnBatch] = []
        batches.reserveCapacity(self.builders.count)
        for index in self.builders.indices { batches.append(self.builders[index].takeBatch()) }
        return batches
    }

    // MARK: Shredding

    private mutating func shred(
        _ nodeIndex: Int,
        _ token: JSONToken,
        _ scanner: inout JSONScanner,
        definition: Int,
        repetition: Int,
        nullDefinition: Int?
    ) throws(RecordRejection) {
        let node = self.plan.nodes[nodeIndex]
        switch node.kind {
        case .leaf(let kind):
            if try !self.appendLeaf(kind, column: node.column, token, &scanner) {
                try self.mismatch(
                    node,
                    token,
                    &scanner,
                    nullDefinition: nullDefinition,
                    repetition: repetition,
                    expected: Self.name(of: kind)
                )
                return
            }
            self.setLevels(node.column, definition: definition, repetition: repetition)
        case .object:
            guard case .beginObject = token else {
                try self.mismatch(
                    node,
                    token,
                    &scanner,
                    nullDefinition: nullDefinition,
                    repetition: repetition,
                    expected: "object"
                )
                return
            }
            // Absent members leave their flat columns at the object's level.
            if definition > 0 { self.flatLevels.set(node.columns, definition) }
            try self.shredObject(node, &scanner, definition: definition, repetition: repetition)
        case .list:
            guard case .beginArray = token else {
                try self.mismatch(
                    node,
                    token,
                    &scanner,
                    nullDefinition: nullDefinition,
                    repetition: repetition,
                    expected: "array"
                )
                return
            }
            var index = 0
            while true {
                let next = try Self.next(&scanner)
                if case .endArray = next { break }
                try self.shredRepeatedValue(
                    node.child,
                    next,
                    &scanner,
                    definition: definition,
                    repetition: index == 0 ? repetition : node.repetitionLevel,
                    at: .index(index)
                )
                index += 1
            }
            if index == 0 { self.emitNull(node.columns, definition: definition, repetition: repetition) }
        case .map:
            guard case .beginObject = token else {
                try self.mismatch(
                    node,
                    token,
                    &scanner,
                    nullDefinition: nullDefinition,
                    repetition: repetition,
                    expected: "object"
                )
                return
            }
            var index = 0
            while true {
                let next = try Self.next(&scanner)
                guard case .key(let key) = next else { break }
                let entryRepetition = index == 0 ? repetition : node.repetitionLevel
                self.scratch.removeAll(keepingCapacity: true)
                key.decode(from: scanner.bytes, appendingTo: &self.scratch)
                self.touch(node.column)
                self.scratch.withUnsafeBytes { self.builders[node.column].appendValue($0) }
                self.setLevels(node.column, definition: definition + 1, repetition: entryRepetition)
                try self.shredRepeatedValue(
                    node.child,
                    try Self.next(&scanner),
                    &scanner,
                    definition: definition,
                    repetition: entryRepetition,
                    at: .key(key)
                )
                index += 1
            }
            if index == 0 { self.emitNull(node.columns, definition: definition, repetition: repetition) }
        }
    }

    /// A list element or map value: under its repeated group (definition + 1), itself nullable
    /// (definition + 2 when present).
    private mutating func shredRepeatedValue(
        _ nodeIndex: Int,
        _ token: JSONToken,
        _ scanner: inout JSONScanner,
        definition: Int,
        repetition: Int,
        at component: PathComponent
    ) throws(RecordRejection) {
        if case .null = token {
            self.emitNull(self.plan.nodes[nodeIndex].columns, definition: definition + 1, repetition: repetition)
            return
        }
        self.pushPath(component)
        try self.shred(
            nodeIndex,
            token,
            &scanner,
            definition: definition + 2,
            repetition: repetition,
            nullDefinition: definition + 1
        )
        self.pathCount -= 1
    }

    private mutating func shredObject(
        _ object: ShreddingPlan.Node,
        _ scanner: inout JSONScanner,
        definition: Int,
        repetition: Int
    ) throws(RecordRejection) {
        let members = object.members
        var seen = SeenSet(count: members.count)
        var expected = 0
        // The key that followed the previous one last time is tried first, on the bytes, before the key is
        // scanned and looked up.
        var slot = self.plan.members.count &+ object.lookup
        while true {
            let predicted = Int(self.successors[slot])
            let prediction = predicted >= 0 ? self.plan.predictions[members.lowerBound &+ predicted] : .none
            let (token, matched) = try Self.next(&scanner, predicting: prediction)
            guard case .key(let key) = token else { break }
            let index: Int?
            if matched {
                index = predicted
            } else if key.hasEscapes {
                self.scratch.removeAll(keepingCapacity: true)
                key.decode(from: scanner.bytes, appendingTo: &self.scratch)
                index = self.scratch.withUnsafeBytes { self.plan.lookups[object.lookup].index(of: $0) }
            } else {
                index = self.plan.lookups[object.lookup].index(
                    of: UnsafeRawBufferPointer(rebasing: scanner.bytes[key.range]),
                    expected: expected
                )
            }
            if let index {
                expected = index + 1
                if !matched { self.successors[slot] = Int32(truncatingIfNeeded: index) }
                slot = members.lowerBound &+ index
            }
            guard let index, !seen.contains(index) else {
                let memberPath = self.pathText(scanner.bytes, appending: .key(key))
                let valueToken = try Self.next(&scanner)
                let code: RecordRejection.Code = index == nil ? .unknownField : .duplicateKey
                guard self.overflowColumn != nil else {
                    throw RecordRejection(
                        code,
                        index == nil
                            ? "field '\(memberPath)' is not in the schema"
                            : "field '\(memberPath)' appears twice in one object"
                    )
                }
                try self.captureOverflow(valueToken, &scanner, path: memberPath)
                continue
            }
            seen.insert(index)
            let member = self.plan.members[members.lowerBound + index]
            let memberDefinition = definition + (member.isNullable ? 1 : 0)
            let valueToken: JSONToken
            if member.stringColumn >= 0 {
                // A string member is unescaped into its column in the pass that scans it.
                let column = member.stringColumn
                self.touch(column)
                guard let token = try self.appendStringValue(column, &scanner) else {
                    self.appended(column)
                    self.setLevels(column, definition: memberDefinition, repetition: repetition)
                    continue
                }
                valueToken = token
            } else {
                valueToken = try Self.next(&scanner)
            }
            if case .null = valueToken {
                guard member.isNullable else {
                    let memberPath = self.pathText(scanner.bytes, appending: .member(member.id))
                    throw RecordRejection(.missingField, "required field '\(memberPath)' is null")
                }
                self.emitNull(self.plan.nodes[member.node].columns, definition: definition, repetition: repetition)
                continue
            }
            // Another leaf that takes the value is done here; one that does not goes the general way, which
            // meets the same mismatch with the member on the path.
            if member.leafColumn >= 0,
                try self.appendLeaf(member.leaf, column: member.leafColumn, valueToken, &scanner)
            {
                self.setLevels(member.leafColumn, definition: memberDefinition, repetition: repetition)
                continue
            }
            self.pushPath(.member(member.id))
            try self.shred(
                member.node,
                valueToken,
                &scanner,
                definition: memberDefinition,
                repetition: repetition,
                nullDefinition: member.isNullable ? definition : nil
            )
            self.pathCount -= 1
        }
        // Flat columns already hold `definition` (set when the object started); only columns in lists or
        // maps take a level per absent member.
        if let absent = seen.absent(of: members.count) {
            if absent & object.requiredMembers != 0 {
                try self.rejectMissing(object, absent.trailingZeroBitCount, &scanner)
            }
            var pending = absent & object.repeatedMembers
            while pending != 0 {
                let member = self.plan.members[members.lowerBound + pending.trailingZeroBitCount]
                pending &= pending &- 1
                self.emitNull(self.plan.nodes[member.node].columns, definition: definition, repetition: repetition)
            }
            return
        }
        for index in 0..<members.count where !seen.contains(index) {
            let member = self.plan.members[members.lowerBound + index]
            if !member.isNullable { try self.rejectMissing(object, index, &scanner) }
            if member.hasRepeatedColumns {
                self.emitNull(self.plan.nodes[member.node].columns, definition: definition, repetition: repetition)
            }
        }
    }

    private func rejectMissing(
        _ object: ShreddingPlan.Node,
        _ index: Int,
        _ scanner: inout JSONScanner
    ) throws(RecordRejection) {
        let member = self.plan.members[object.members.lowerBound + index]
        throw RecordRejection(
            .missingField,
            "required field '\(self.pathText(scanner.bytes, appending: .member(member.id)))' is missing"
        )
    }

    @inline(__always)
    private mutating func pushPath(_ component: PathComponent) {
        self.path.components[self.pathCount] = component
        self.pathCount += 1
    }

    /// Appends a leaf value; false when the token does not fit the leaf's type.
    private mutating func appendLeaf(
        _ kind: ShreddingPlan.Leaf,
        column: Int,
        _ token: JSONToken,
        _ scanner: inout JSONScanner
    ) throws(RecordRejection) -> Bool {
        self.touch(column)
        switch (kind, token) {
        case (.boolean, .bool(let value)):
            self.builders[column].booleans.append(value)
        case (.int64, .number(let number)):
            guard let value = number.int64 else { return false }
            self.builders[column].int64s.append(value)
        case (.double, .number(let number)):
            self.builders[column].doubles.append(number.double(from: scanner.bytes))
        case (.string, .string(let string)):
            // Unescaped straight into the column's bytes.
            self.builders[column].appendString(string, from: scanner.bytes)
        case (.timestamp(.text), .string(let string)):
            let micros: Int64?
            if string.hasEscapes {
                self.scratch.removeAll(keepingCapacity: true)
                string.decode(from: scanner.bytes, appendingTo: &self.scratch)
                micros = self.scratch.withUnsafeBytes { TimestampParser.microseconds($0) }
            } else {
                micros = TimestampParser.microseconds(
                    UnsafeRawBufferPointer(rebasing: scanner.bytes[string.range]),
                    recent: &self.recentDates[column]
                )
            }
            guard let micros else { return false }
            self.builders[column].int64s.append(micros)
        case (.timestamp(.epoch(let unit)), .number(let number)):
            guard let value = number.int64, let micros = TimestampParser.microseconds(epoch: value, unit: unit) else {
                return false
            }
            self.builders[column].int64s.append(micros)
        case (.date, .string(let string)):
            guard !string.hasEscapes,
                let days = TimestampParser.date(UnsafeRawBufferPointer(rebasing: scanner.bytes[string.range]))
            else { return false }
            self.builders[column].int32s.append(days)
        case (.json, _):
            self.scratch.removeAll(keepingCapacity: true)
            try Self.appendRawValue(token, &scanner, into: &self.scratch)
            self.scratch.withUnsafeBytes { self.builders[column].appendValue($0) }
        default:
            return false
        }
        self.appended(column)
        return true
    }

    /// A value that does not fit: into the overflow column (the field itself becomes null), or reject.
    private mutating func mismatch(
        _ node: ShreddingPlan.Node,
        _ token: JSONToken,
        _ scanner: inout JSONScanner,
        nullDefinition: Int?,
        repetition: Int,
        expected: String
    ) throws(RecordRejection) {
        let path = self.pathText(scanner.bytes)
        guard self.overflowColumn != nil, let nullDefinition else {
            throw RecordRejection(.typeMismatch, "field '\(path)': expected \(expected), found \(Self.describe(token))")
        }
        try self.captureOverflow(token, &scanner, path: path)
        self.emitNull(node.columns, definition: nullDefinition, repetition: repetition)
    }

    /// The current path as text (`user.tags[2]`), with `last` after it when given.
    private func pathText(_ bytes: UnsafeRawBufferPointer, appending last: PathComponent? = nil) -> String {
        var text = ""
        let components = UnsafeBufferPointer(start: self.path.components, count: self.pathCount)
        for component in Array(components) + (last.map { [$0] } ?? []) {
            switch component {
            case .member(let id):
                if !text.isEmpty { text += "." }
                text += String(decoding: self.plan.names[id], as: UTF8.self)
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += key.string(from: bytes)
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    /// Appends `"path":<raw value>` to the record's overflow object.
    private mutating func captureOverflow(
        _ token: JSONToken,
        _ scanner: inout JSONScanner,
        path: String
    ) throws(RecordRejection) {
        guard self.overflowColumn != nil else { return }
        if !self.overflow.isEmpty { self.overflow.append(UInt8(ascii: ",")) }
        Self.appendQuoted(path, to: &self.overflow)
        self.overflow.append(UInt8(ascii: ":"))
        try Self.appendRawValue(token, &scanner, into: &self.overflow)
    }

    /// Appends the JSON text of the value that starts with `token` (consuming the rest of it).
    private static func appendRawValue(
        _ token: JSONToken,
        _ scanner: inout JSONScanner,
        into output: inout [UInt8]
    ) throws(RecordRejection) {
        let bytes = scanner.bytes
        switch token {
        case .string(let string):
            output.append(
                contentsOf: UnsafeRawBufferPointer(
                    rebasing: bytes[(string.range.lowerBound - 1)..<(string.range.upperBound + 1)]
                )
            )
        case .number(let number):
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[number.range]))
        case .bool(let value):
            output.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
        case .null:
            output.append(contentsOf: Array("null".utf8))
        case .beginObject, .beginArray:
            // The opening bracket was the byte just consumed; skip to its match.
            let start = scanner.offset - 1
            let depth = scanner.depth
            while scanner.depth >= depth {
                _ = try Self.next(&scanner)
            }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<scanner.offset]))
        default:
            throw RecordRejection(.invalidJSON, "unexpected \(Self.describe(token))")
        }
    }

    private mutating func emitNull(_ columns: Range<Int>, definition: Int, repetition: Int) {
        for column in columns { self.setLevels(column, definition: definition, repetition: repetition) }
    }

    /// Records a column's level: in the record's row for flat columns, in the builder for the others.
    @inline(__always)
    private mutating func setLevels(_ column: Int, definition: Int, repetition: Int) {
        if self.flatLevels.isFlat[column] {
            self.flatLevels.set(column, definition)
        } else {
            self.touch(column)
            self.builders[column].levels(definition: definition, repetition: repetition)
        }
    }

    /// Before the record first changes a column in a list or map: marks where it stands, to roll back to
    /// on rejection. Nothing for a flat column (``appended(_:)``).
    ///
    /// The mark reads the builder's arrays' counts, each behind its own pointer; taken for every column a
    /// record touched, these loads were a fifth of the object loop's samples on logs.
    @inline(__always)
    private mutating func touch(_ column: Int) {
        guard !self.flatLevels.isFlat[column], self.markedInRecord[column] != self.recordNumber else { return }
        self.markedInRecord[column] = self.recordNumber
        self.marks[column] = self.builders[column].mark
        self.touched[self.touchedCount] = column
        self.touchedCount &+= 1
    }

    /// After a value went into `column`: a flat column is noted as changed, its one value of the record
    /// to be dropped on rejection. (A column in a list or map was marked by ``touch(_:)`` before.)
    @inline(__always)
    private mutating func appended(_ column: Int) {
        guard self.flatLevels.isFlat[column] else { return }
        assert(self.markedInRecord[column] != self.recordNumber, "flat column \(column) took two values in a record")
        self.markedInRecord[column] = self.recordNumber
        self.touched[self.touchedCount] = column
        self.touchedCount &+= 1
    }

    // MARK: Helpers

    @inline(__always)
    private mutating func appendStringValue(
        _ column: Int,
        _ scanner: inout JSONScanner
    ) throws(RecordRejection) -> JSONToken? {
        do {
            return try self.builders[column].appendStringValue(&scanner)
        } catch {
            throw RecordRejection(error)
        }
    }

    @inline(__always)
    private static func next(_ scanner: inout JSONScanner) throws(RecordRejection) -> JSONToken {
        do {
            return try scanner.next()
        } catch {
            throw RecordRejection(error)
        }
    }

    @inline(__always)
    private static func next(
        _ scanner: inout JSONScanner,
        predicting prediction: PredictedKey
    ) throws(RecordRejection) -> (token: JSONToken, matched: Bool) {
        do {
            return try scanner.next(predicting: prediction)
        } catch {
            throw RecordRejection(error)
        }
    }

    static func describe(_ token: JSONToken) -> String {
        switch token {
        case .beginObject: "an object"
        case .beginArray: "an array"
        case .string: "a string"
        case .number(let number):
            number.kind == .integer
                ? "an integer" : number.kind == .bigInteger ? "an integer beyond 64 bits" : "a decimal number"
        case .bool: "a boolean"
        case .null: "null"
        case .key: "a key"
        case .endObject, .endArray: "the end of a container"
        case .endOfInput: "the end of the input"
        }
    }

    static func name(of kind: ShreddingPlan.Leaf) -> String {
        switch kind {
        case .boolean: "boolean"
        case .int64: "int64"
        case .double: "double"
        case .string: "string"
        case .timestamp(let format): "timestamp (\(format.name))"
        case .date: "date (YYYY-MM-DD)"
        case .json: "json"
        }
    }

    static func appendQuoted(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)],
                ])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

/// One step of the path to a value: an object member, a map key (in the record's bytes), a list index.
enum PathComponent {
    /// An object member, by ``ShreddingPlan/Member/id``.
    case member(Int)
    case key(JSONStringToken)
    case index(Int)
}

/// The shredder's path, written through a pointer so that a step into a member checks nothing. It
/// holds as many components as the schema is deep.
final class PathStack {
    let components: UnsafeMutablePointer<PathComponent>

    init(capacity: Int) {
        self.components = .allocate(capacity: max(1, capacity))
        self.components.initialize(repeating: .index(0), count: max(1, capacity))
    }

    deinit { self.components.deallocate() }
}

/// Which members of an object were seen: a bitmask for up to 64, a bit array beyond.
struct SeenSet {
    private var small: UInt64 = 0
    private var large: [Bool]?

    init(count: Int) {
        if count > 64 { self.large = Array(repeating: false, count: count) }
    }

    @inline(__always)
    func contains(_ index: Int) -> Bool {
        if let large { return large[index] }
        return self.small & (1 << UInt64(index)) != 0
    }

    /// The members not seen, a bit each, when there are at most 64 of `count`.
    @inline(__always)
    func absent(of count: Int) -> UInt64? {
        guard self.large == nil else { return nil }
        return ~self.small & (count == 64 ? ~0 : (1 << UInt64(count)) &- 1)
    }

    @inline(__always)
    mutating func insert(_ index: Int) {
        if self.large != nil {
            self.large![index] = true
        } else {
            self.small |= 1 << UInt64(index)
        }
    }
}
