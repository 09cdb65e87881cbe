/// Where a ``ParquetFileWriter`` puts its bytes: in order, once, and then `finish()`.
///
/// Files, memory and multipart uploads conform; the writer hands over whole row groups, so a
/// sink that uploads parts sees bounded pieces.
public protocol ParquetSink {
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws
    mutating func finish() throws
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
