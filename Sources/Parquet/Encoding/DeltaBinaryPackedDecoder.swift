/// Decodes DELTA_BINARY_PACKED (PARQUET.md §2.4) into INT64 or INT32 values.
///
/// The decoder borrows `bytes`: the memory must stay valid while the decoder is used. All arithmetic wraps in
/// 64 bits; INT32 output truncates, which gives the same result as 32-bit wrapping arithmetic. Miniblock bit
/// widths 0...64 decode. Following arrow-rs, the last miniblock may omit padding bytes after its last value.
struct DeltaBinaryPackedDecoder {
    /// Largest accepted block size; real writers use 128 (arrow-rs, parquet-java), 256 (arrow C++) or 2048.
    static let maximumBlockSize = 1 << 16

    private let bytes: UnsafeRawBufferPointer
    /// The number of values in the stream, from its header.
    let totalCount: Int
    private let miniblockCount: Int
    private let valuesPerMiniblock: Int
    private var position: Int
    /// Values not yet returned.
    private var remaining: Int
    /// Deltas not yet unpacked into `buffer`.
    private var deltasRemaining: Int
    private var firstValuePending: Bool
    private var last: UInt64
    private var minimumDelta: UInt64 = 0
    /// Offset of the current block's miniblock widths.
    private var widthsOffset = 0
    /// The next miniblock of the current block; `miniblockCount` means a new block header comes next.
    private var miniblockIndex: Int
    /// Residuals of the current miniblock.
    private var buffer: [UInt64]
    private var bufferIndex = 0
    private var bufferCount = 0

    /// Reads the header at the start of `bytes`.
    ///
    /// - Throws: `.corrupt` for a truncated header, a block size that is not a positive multiple of 128 (or above
    ///   ``maximumBlockSize``), a miniblock count that does not give multiples of 32 values, or a negative or
    ///   larger-than-`Int32.max` value count.
    init(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        var position = 0
        let blockSize = try LEB128.read(bytes, at: &position)
        let miniblockCount = try LEB128.read(bytes, at: &position)
        let totalCount = try LEB128.read(bytes, at: &position)
        let first = try LEB128.readZigZag(bytes, at: &position)
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= UInt64(Self.maximumBlockSize) else {
            throw ParquetError(
                .corrupt,
                "DELTA_BINARY_PACKED block size \(blockSize) is not a multiple of 128 in "
                    + "128...\(Self.maximumBlockSize)"
            )
        }
        guard miniblockCount > 0, blockSize % miniblockCount == 0, (blockSize / miniblockCount) % 32 == 0 else {
            throw ParquetError(
                .corrupt,
                "DELTA_BINARY_PACKED block of \(blockSize) values cannot have "
                    + "\(miniblockCount) miniblocks (values per miniblock must be a multiple of 32)"
            )
        }
        guard totalCount <= UInt64(Int32.max) else {
            throw ParquetError(.corrupt, "DELTA_BINARY_PACKED value count \(totalCount) exceeds Int32.max")
        }
        self.bytes = bytes
        self.position = position
        self.totalCount = Int(totalCount)
        self.miniblockCount = Int(miniblockCount)
        self.valuesPerMiniblock = Int(blockSize / miniblockCount)
        self.remaining = Int(totalCount)
        self.deltasRemaining = max(0, Int(totalCount) - 1)
        self.firstValuePending = totalCount > 0
        self.last = UInt64(bitPattern: first)
        self.miniblockIndex = Int(miniblockCount)
        self.buffer = []
    }

    /// The offset just past the data decoded so far; once every value has been decoded, the offset just past the
    /// encoded stream (where DELTA_LENGTH_BYTE_ARRAY data begins).
    var bytesConsumed: Int { self.position }

    /// Values not yet decoded.
    var remainingCount: Int { self.remaining }

    /// Decodes up to `output.count` values; returns how many (fewer only at the end of the stream).
    mutating func decode(into output: UnsafeMutableBufferPointer<Int64>) throws(ParquetError) -> Int {
        try self.decodeValues(into: output)
    }

    /// Decodes up to `output.count` values, truncated to 32 bits; returns how many.
    mutating func decode(into output: UnsafeMutableBufferPointer<Int32>) throws(ParquetError) -> Int {
        try self.decodeValues(into: output)
    }

    /// Decodes all remaining values, discarding them, so that ``bytesConsumed`` is the end of the stream.
    mutating func skipToEnd() throws(ParquetError) {
        try withUnsafeTemporaryAllocation(of: Int64.self, capacity: 256) { (scratch) throws(ParquetError) in
            while self.remaining > 0 { _ = try self.decodeValues(into: scratch) }
        }
    }

    @inline(__always)
    private mutating func decodeValues<T: FixedWidthInteger & SignedInteger>(
        into output: UnsafeMutableBufferPointer<T>
    ) throws(ParquetError) -> Int {
        let wanted = min(output.count, self.remaining)
        guard wanted > 0, let destination = output.baseAddress else { return 0 }
        var produced = 0
        if self.firstValuePending {
            destination[0] = T(truncatingIfNeeded: Int64(bitPattern: self.last))
            self.firstValuePending = false
            produced = 1
        }
        while produced < wanted {
            if self.bufferIndex == self.bufferCount {
                try self.loadMiniblock()
            }
            let count = min(self.bufferCount - self.bufferIndex, wanted - produced)
            var value = self.last
            let minimumDelta = self.minimumDelta
            let start = self.bufferIndex
            self.buffer.withUnsafeBufferPointer { residuals in
                for offset in 0..<count {
                    value = value &+ minimumDelta &+ residuals[start &+ offset]
                    destination[produced &+ offset] = T(truncatingIfNeeded: Int64(bitPattern: value))
                }
            }
            self.last = value
            self.bufferIndex += count
            produced += count
        }
        self.remaining -= produced
        return produced
    }

    /// Unpacks the next miniblock (reading a block header first when needed) into `buffer`.
    private mutating func loadMiniblock() throws(ParquetError) {
        guard self.deltasRemaining > 0 else {
            throw ParquetError(.corrupt, "DELTA_BINARY_PACKED stream has fewer deltas than its value count")
        }
        if self.miniblockIndex == self.miniblockCount {
            let headerOffset = self.position
            self.minimumDelta = UInt64(bitPattern: try LEB128.readZigZag(self.bytes, at: &self.position))
            guard self.bytes.count - self.position >= self.miniblockCount else {
                throw ParquetError(.corrupt, "unexpected end of page in DELTA_BINARY_PACKED block at \(headerOffset)")
            }
            self.widthsOffset = self.position
            self.position += self.miniblockCount
            self.miniblockIndex = 0
        }
        let width = Int(self.bytes[self.widthsOffset + self.miniblockIndex])
        guard width <= 64 else {
            throw ParquetError(.corrupt, "DELTA_BINARY_PACKED miniblock bit width \(width) > 64")
        }
        let count = min(self.valuesPerMiniblock, self.deltasRemaining)
        let fullBytes = self.valuesPerMiniblock &* width / 8
        let neededBytes = (count &* width + 7) / 8
        let available = self.bytes.count - self.position
        guard available >= neededBytes else {
            throw ParquetError(.corrupt, "unexpected end of page in DELTA_BINARY_PACKED miniblock at \(self.position)")
        }
        if self.buffer.count < self.valuesPerMiniblock {
            self.buffer = [UInt64](repeating: 0, count: self.valuesPerMiniblock)
        }
        let groups = (count + 7) / 8
        let start = self.position
        let source = self.bytes
        self.buffer.withUnsafeMutableBufferPointer { residuals in
            guard let sourceBase = source.baseAddress, let destination = residuals.baseAddress else { return }
            BitPacking.unpack(
                sourceBase + start,
                byteCount: min(fullBytes, available),
                groups: groups,
                width: width,
                into: destination
            )
        }
        self.position += min(fullBytes, available)
        self.miniblockIndex += 1
        self.deltasRemaining -= count
        self.bufferIndex = 0
        self.bufferCount = count
    }
}
