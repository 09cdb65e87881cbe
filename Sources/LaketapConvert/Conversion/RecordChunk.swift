public import JSONScan

/// Consecutive framed records of one input, packed into one buffer: the unit of work that
/// ``ParallelRecordConverter`` hands to its shredding threads.
///
/// Each record keeps its line, byte offset and framing error, so rejections name the same positions
/// as when the records are converted one by one.
public struct RecordChunk: Sendable {
    /// One record of the chunk: its range in ``RecordChunk/bytes`` (empty for a framing error), line,
    /// byte offset, whether the framer left the line unverified (framed again when rejected), and
    /// where its framing error is (``RecordChunk/error(of:)``).
    ///
    /// Plain values, no reference: appending, reading and emptying records neither retains nor releases,
    /// where a record holding its error (`JSONRecord`) made emptying a chunk a value-witness call per
    /// record, and the reading thread handed every record an optional error to copy.
    public struct Record: Sendable {
        public var range: Range<Int>
        public var line: Int
        public var byteOffset: Int
        public var isUnverifiedLine: Bool
        /// The framer's error in ``RecordChunk/errors``, or -1.
        fileprivate var errorIndex: Int
    }

    /// The input the records come from (a path, or `<stdin>`), for the rejects output.
    public var source: String
    public private(set) var bytes: [UInt8] = []
    public private(set) var records: [Record] = []
    /// The errors of the records the framer rejected, in order.
    private var errors: [JSONScanError] = []

    /// An empty chunk that can hold about `capacity` bytes before growing.
    public init(source: String, capacity: Int = 0) {
        self.source = source
        self.bytes.reserveCapacity(capacity)
    }

    /// Adds one record (its bytes are copied).
    @inline(__always)
    public mutating func append(
        _ record: UnsafeRawBufferPointer,
        line: Int,
        byteOffset: Int,
        isUnverifiedLine: Bool = false
    ) {
        self.append(record, line: line, byteOffset: byteOffset, isUnverifiedLine: isUnverifiedLine, errorIndex: -1)
    }

    /// Adds a record the framer rejected with `error`.
    public mutating func append(_ record: UnsafeRawBufferPointer, line: Int, byteOffset: Int, error: JSONScanError) {
        self.append(
            record,
            line: line,
            byteOffset: byteOffset,
            isUnverifiedLine: false,
            errorIndex: self.keep(error)
        )
    }

    /// Keeps `error` for a record; its index in `errors`, or -1 for none.
    private mutating func keep(_ error: JSONScanError?) -> Int {
        guard let error else { return -1 }
        self.errors.append(error)
        return self.errors.count - 1
    }

    @inline(__always)
    private mutating func append(
        _ record: UnsafeRawBufferPointer,
        line: Int,
        byteOffset: Int,
        isUnverifiedLine: Bool,
        errorIndex: Int
    ) {
        let start = self.bytes.count
        self.bytes.append(contentsOf: record)
        self.records.append(
            Record(
                range: start..<self.bytes.count,
                line: line,
                byteOffset: byteOffset,
                isUnverifiedLine: isUnverifiedLine,
                errorIndex: errorIndex
            )
        )
    }

    /// The error of `record` when the framer rejected it.
    public func error(of record: Record) -> JSONScanError? {
        record.errorIndex >= 0 ? self.errors[record.errorIndex] : nil
    }

    /// Replaces the unverified line at `index` with the records `framed` found in its bytes (ranges
    /// relative to the line).
    mutating func replaceLine(at index: Int, with framed: [JSONRecord]) {
        let base = self.records[index].range.lowerBound
        var replacement: [Record] = []
        replacement.reserveCapacity(framed.count)
        for record in framed {
            let errorIndex = self.keep(record.error)
            replacement.append(
                Record(
                    range: (record.range.lowerBound + base)..<(record.range.upperBound + base),
                    line: record.line,
                    byteOffset: record.byteOffset,
                    isUnverifiedLine: false,
                    errorIndex: errorIndex
                )
            )
        }
        self.records.replaceSubrange(index...index, with: replacement)
    }

    /// Empties the chunk for the next records of `source`, keeping its capacity.
    public mutating func reset(source: String) {
        self.source = source
        self.bytes.removeAll(keepingCapacity: true)
        self.records.removeAll(keepingCapacity: true)
        if !self.errors.isEmpty { self.errors.removeAll() }
    }

    public var isEmpty: Bool { self.records.isEmpty }

    /// Calls `body` with the bytes of the record at `index`.
    public func withRecord<Result>(
        at index: Int,
        _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        try self.bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[self.records[index].range])) }
    }
}
