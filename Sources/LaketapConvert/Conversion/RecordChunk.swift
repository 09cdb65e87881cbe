public import JSONScan

/// Consecutive framed records of one input, packed into one buffer: the unit of work that
/// ``ParallelRecordConverter`` hands to its shredding threads.
///
/// Each record keeps its line, byte offset and framing error, so rejections name the same positions
/// as when the records are converted one by one.
public struct RecordChunk: Sendable {
    /// One record of the chunk: its range in ``RecordChunk/bytes`` (empty for a framing error), line,
    /// byte offset, the framer's error and whether the framer left the line unverified (framed again
    /// when rejected), as the framer handed it out. The framer's own type: its error sits behind one
    /// reference, where an inline one made storing each record a call to the error's value witness.
    public typealias Record = JSONRecord

    /// The input the records come from (a path, or `<stdin>`), for the rejects output.
    public var source: String
    public private(set) var bytes: [UInt8] = []
    public private(set) var records: [Record] = []

    /// An empty chunk that can hold about `capacity` bytes before growing.
    public init(source: String, capacity: Int = 0) {
        self.source = source
        self.bytes.reserveCapacity(capacity)
    }

    /// Adds one record (its bytes are copied); `error` marks a record the framer rejected.
    public mutating func append(
        _ record: UnsafeRawBufferPointer,
        line: Int,
        byteOffset: Int,
        error: JSONScanError? = nil,
        isUnverifiedLine: Bool = false
    ) {
        let start = self.bytes.count
        self.bytes.append(contentsOf: record)
        self.records.append(
            Record(
                range: start..<self.bytes.count,
                line: line,
                byteOffset: byteOffset,
                error: error,
                isUnverifiedLine: isUnverifiedLine
            )
        )
    }

    /// Replaces the unverified line at `index` with the records `framed` found in its bytes (ranges
    /// relative to the line).
    mutating func replaceLine(at index: Int, with framed: [JSONRecord]) {
        let base = self.records[index].range.lowerBound
        self.records.replaceSubrange(
            index...index,
            with: framed.map {
                Record(
                    range: ($0.range.lowerBound + base)..<($0.range.upperBound + base),
                    line: $0.line,
                    byteOffset: $0.byteOffset,
                    error: $0.error
                )
            }
        )
    }

    /// Empties the chunk for the next records of `source`, keeping its capacity.
    public mutating func reset(source: String) {
        self.source = source
        self.bytes.removeAll(keepingCapacity: true)
        self.records.removeAll(keepingCapacity: true)
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
