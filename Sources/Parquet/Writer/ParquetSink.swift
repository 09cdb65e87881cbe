/// Where a ``ParquetFileWriter`` puts its bytes: in order, once, and then `finish()`.
///
/// Files, memory and multipart uploads conform; the writer hands over whole row groups, so a
/// sink that uploads parts sees bounded pieces.
public protocol ParquetSink {
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Writes `bytes`, which the sink may keep instead of copying (the writer hands over its pages
    /// this way and does not touch them again).
    mutating func write(owning bytes: [UInt8]) throws
    mutating func finish() throws
}

extension ParquetSink {
    public mutating func write(owning bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try self.write($0) }
    }
}

/// Collects the file in memory.
public struct MemorySink: ParquetSink, Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func write(_ bytes: UnsafeRawBufferPointer) {
        self.bytes.append(contentsOf: bytes)
    }

    public mutating func finish() {}
}
