import JSONScan
import Parquet

/// Typed values and Dremel levels of one leaf column, filled record by record.
struct ColumnBuilder {
    enum Storage {
        case boolean
        case int32
        case int64
        case double
        case bytes
    }

    let storage: Storage
    let maxDefinition: UInt8
    let maxRepetition: UInt8
    var definitionLevels: [UInt8] = []
    var repetitionLevels: [UInt8] = []
    var booleans: [Bool] = []
    var int32s: [Int32] = []
    var int64s: [Int64] = []
    var doubles: [Double] = []
    /// String values: ``usedBytes`` of `bytes.bytes` hold them, and the array runs on past those with
    /// slack that values are written straight into (unescaped as they are scanned), so no value is
    /// staged elsewhere and copied. The slack goes with the bytes into the batch and comes back with
    /// ``recycle(_:)``: trimmed, it would be zero-filled again for the next batch's values.
    private(set) var bytes = ByteArrayBuffer()
    private(set) var usedBytes = 0

    init(column: ColumnDescriptor) {
        switch column.physicalType {
        case .boolean: self.storage = .boolean
        case .int32: self.storage = .int32
        case .int64: self.storage = .int64
        case .float, .double: self.storage = .double
        case .byteArray, .fixedLenByteArray, .int96: self.storage = .bytes
        }
        self.maxDefinition = UInt8(column.maxDefinitionLevel)
        self.maxRepetition = UInt8(column.maxRepetitionLevel)
    }

    /// Counts to roll back to when a record is rejected half-way.
    struct Mark {
        var levels: Int
        var repetitions: Int
        var values: Int
    }

    /// Bytes of values and levels buffered, roughly.
    var bufferedBytes: Int {
        self.definitionLevels.count + self.repetitionLevels.count + self.usedBytes
            + 8 * (self.int64s.count + self.doubles.count) + 4 * (self.int32s.count + self.bytes.count)
            + self.booleans.count
    }

    var mark: Mark {
        Mark(levels: self.definitionLevels.count, repetitions: self.repetitionLevels.count, values: self.valueCount)
    }

    /// Only the array of the builder's ``storage`` holds values, so the sum of the counts is its count:
    /// read without branching on the storage, which the shredder's first touch of each column in a record
    /// did through a jump table that mispredicted as the columns' types alternate.
    var valueCount: Int {
        self.booleans.count &+ self.int32s.count &+ self.int64s.count &+ self.doubles.count &+ self.bytes.count
    }

    mutating func rollBack(to mark: Mark) {
        if self.definitionLevels.count > mark.levels {
            self.definitionLevels.removeLast(self.definitionLevels.count - mark.levels)
        }
        if self.repetitionLevels.count > mark.repetitions {
            self.repetitionLevels.removeLast(self.repetitionLevels.count - mark.repetitions)
        }
        let extra = self.valueCount - mark.values
        guard extra > 0 else { return }
        switch self.storage {
        case .boolean: self.booleans.removeLast(extra)
        case .int32: self.int32s.removeLast(extra)
        case .int64: self.int64s.removeLast(extra)
        case .double: self.doubles.removeLast(extra)
        case .bytes:
            self.bytes.offsets.removeLast(extra)
            self.usedBytes = Int(self.bytes.offsets[self.bytes.offsets.count - 1])
        }
    }

    /// Drops the last value: a rejected record's in a flat column, which holds one value per record
    /// (its levels are kept apart, ``FlatLevels``).
    mutating func removeLastValue() {
        var mark = self.mark
        mark.values -= 1
        self.rollBack(to: mark)
    }

    @inline(__always)
    mutating func levels(definition: Int, repetition: Int) {
        if self.maxDefinition > 0 { self.definitionLevels.append(UInt8(truncatingIfNeeded: definition)) }
        if self.maxRepetition > 0 { self.repetitionLevels.append(UInt8(truncatingIfNeeded: repetition)) }
    }

    /// Slots held so far (rows for flat columns).
    var slotCount: Int {
        if self.maxRepetition > 0 { return self.repetitionLevels.count }
        if self.maxDefinition > 0 { return self.definitionLevels.count }
        return self.valueCount
    }

    /// The batch for the writer; the builder starts empty. Its arrays move into the batch (no
    /// copy); ``recycle(_:)`` takes them back once the writer is done with them.
    mutating func takeBatch() -> ColumnBatch {
        let values: ColumnValues
        switch self.storage {
        case .boolean: values = .boolean(self.booleans)
        case .int32: values = .int32(self.int32s)
        case .int64: values = .int64(self.int64s)
        case .double: values = .double(self.doubles)
        case .bytes: values = .byteArray(self.bytes)
        }
        let batch = ColumnBatch(
            values: values,
            definitionLevels: self.definitionLevels,
            repetitionLevels: self.repetitionLevels
        )
        self.definitionLevels = []
        self.repetitionLevels = []
        self.booleans = []
        self.int32s = []
        self.int64s = []
        self.doubles = []
        self.bytes = ByteArrayBuffer()
        self.usedBytes = 0
        return batch
    }

    /// Takes back the arrays of a written batch, emptied but with their capacity, when the builder
    /// has not started new ones.
    mutating func recycle(_ batch: inout ColumnBatch) {
        guard self.valueCount == 0 && self.definitionLevels.isEmpty && self.repetitionLevels.isEmpty else { return }
        swap(&self.definitionLevels, &batch.definitionLevels)
        swap(&self.repetitionLevels, &batch.repetitionLevels)
        self.definitionLevels.removeAll(keepingCapacity: true)
        self.repetitionLevels.removeAll(keepingCapacity: true)
        switch batch.values {
        case .boolean(var values):
            batch.values = .boolean([])
            values.removeAll(keepingCapacity: true)
            self.booleans = values
        case .int32(var values):
            batch.values = .int32([])
            values.removeAll(keepingCapacity: true)
            self.int32s = values
        case .int64(var values):
            batch.values = .int64([])
            values.removeAll(keepingCapacity: true)
            self.int64s = values
        case .double(var values):
            batch.values = .double([])
            values.removeAll(keepingCapacity: true)
            self.doubles = values
        case .byteArray(var values):
            batch.values = .byteArray(ByteArrayBuffer())
            // The written values become slack: no zeroes to fill in until the values outgrow them.
            values.offsets.removeAll(keepingCapacity: true)
            values.offsets.append(0)
            self.bytes = values
            self.usedBytes = 0
        default:
            break
        }
    }
}

extension ColumnBuilder {
    /// Appends a string value.
    mutating func appendValue(_ value: UnsafeRawBufferPointer) {
        self.reserveSlack(value.count)
        if let source = value.baseAddress {
            let used = self.usedBytes
            self.bytes.bytes.withUnsafeMutableBytes {
                $0.baseAddress!.advanced(by: used).copyMemory(from: source, byteCount: value.count)
            }
        }
        self.commitValue(byteCount: value.count)
    }

    /// Appends the unescaped value of a string token read from `bytes`.
    mutating func appendString(_ string: JSONStringToken, from bytes: UnsafeRawBufferPointer) {
        self.reserveSlack(string.range.count &+ 8)
        let used = self.usedBytes
        let count = self.bytes.bytes.withUnsafeMutableBytes { string.decode(from: bytes, into: $0.baseAddress! + used) }
        self.commitValue(byteCount: count)
    }

    /// Reads the member value at the scanner: a string is unescaped straight into the column as it is
    /// scanned and becomes its last value (nil is returned); any other token is returned unused.
    ///
    /// The slack must hold the rest of the record, as the string's length is known only once it is
    /// scanned: past ``fusedScanLimit`` bytes the string is scanned first and then unescaped, so a long
    /// record does not give every string column slack the size of the record.
    mutating func appendStringValue(_ scanner: inout JSONScanner) throws(JSONScanError) -> JSONToken? {
        guard scanner.remainingCount <= Self.fusedScanLimit else {
            let token = try scanner.next()
            guard case .string(let string) = token else { return token }
            self.appendString(string, from: scanner.bytes)
            return nil
        }
        self.reserveSlack(scanner.remainingCount &+ 8)
        let used = self.usedBytes
        var result: Result<(token: JSONToken, decodedCount: Int?), JSONScanError>!
        self.bytes.bytes.withUnsafeMutableBytes { out in
            result = Result { () throws(JSONScanError) in
                try scanner.nextValue(decodingStringInto: out.baseAddress! + used)
            }
        }
        let (token, decodedCount) = try result.get()
        guard let decodedCount else { return token }
        self.commitValue(byteCount: decodedCount)
        return nil
    }

    /// The most record bytes after a string for it to be unescaped as it is scanned.
    static let fusedScanLimit = 64 << 10

    /// Makes room for `count` bytes after the values.
    @inline(__always)
    private mutating func reserveSlack(_ count: Int) {
        let needed = self.usedBytes &+ count
        if self.bytes.bytes.count < needed { self.growSlack(to: needed) }
    }

    @inline(never)
    private mutating func growSlack(to needed: Int) {
        let target = max(needed, 2 * self.bytes.bytes.count, 4096)
        self.bytes.bytes.append(contentsOf: repeatElement(0, count: target - self.bytes.bytes.count))
    }

    /// Ends the value of `count` bytes written after the values.
    @inline(__always)
    private mutating func commitValue(byteCount count: Int) {
        self.usedBytes &+= count
        self.bytes.offsets.append(Int32(truncatingIfNeeded: self.usedBytes))
    }
}
