/// Decodes the RLE / bit-packed hybrid (PARQUET.md §2.2) from runs without a length prefix.
///
/// The decoder borrows `bytes`: the memory must stay valid while the decoder is used. Whole groups of a
/// bit-packed run are unpacked straight into the caller's buffer; RLE runs are filled with `update(repeating:)`.
/// Following arrow-rs, a final bit-packed run that is shorter than its header claims yields the values that are
/// present rather than an error.
struct RLEBitPackedHybridDecoder {
    private let bytes: UnsafeRawBufferPointer
    private let bitWidth: Int
    /// Offset of the next run header, or of the next group inside a bit-packed run.
    private var position = 0
    /// Values left in the current RLE run.
    private var repeatRemaining = 0
    private var repeatValue: UInt32 = 0
    /// Values left in the current bit-packed run (whole groups not yet unpacked, plus `buffered`).
    private var packedRemaining = 0
    /// The end of the current bit-packed run's bytes (clamped to the input).
    private var packedEnd = 0
    /// One unpacked group, used when the caller asks for a count that splits a group.
    private var group: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var groupIndex = 8

    /// Creates a decoder over `bytes` for values of `bitWidth` bits.
    ///
    /// - Throws: `.corrupt` when `bitWidth` is not in 0...32.
    init(_ bytes: UnsafeRawBufferPointer, bitWidth: Int) throws(ParquetError) {
        guard bitWidth <= 32 else { throw ParquetError(.corrupt, "bit width \(bitWidth) > 32") }
        guard bitWidth >= 0 else { throw ParquetError(.corrupt, "bit width \(bitWidth) < 0") }
        self.bytes = bytes
        self.bitWidth = bitWidth
    }

    /// Decodes up to `output.count` values; returns how many (fewer only at the end of the data).
    mutating func decode(into output: UnsafeMutableBufferPointer<UInt32>) throws(ParquetError) -> Int {
        try self.decodeValues(into: output)
    }

    /// Decodes up to `output.count` levels; returns how many (fewer only at the end of the data).
    ///
    /// - Throws: `.invalidArgument` when the bit width exceeds 8, `.corrupt` on malformed runs.
    mutating func decode(into output: UnsafeMutableBufferPointer<UInt8>) throws(ParquetError) -> Int {
        guard self.bitWidth <= 8 else {
            throw ParquetError(.invalidArgument, "cannot decode \(self.bitWidth)-bit values into bytes")
        }
        return try self.decodeValues(into: output)
    }

    @inline(__always)
    private mutating func decodeValues<T: FixedWidthInteger & UnsignedInteger>(
        into output: UnsafeMutableBufferPointer<T>
    ) throws(ParquetError) -> Int {
        guard let destination = output.baseAddress else { return 0 }
        let wanted = output.count
        var produced = 0
        while produced < wanted {
            if self.repeatRemaining > 0 {
                let count = min(self.repeatRemaining, wanted - produced)
                (destination + produced).update(repeating: T(truncatingIfNeeded: self.repeatValue), count: count)
                produced += count
                self.repeatRemaining -= count
            } else if self.packedRemaining > 0 {
                produced += self.decodePacked(into: destination + produced, count: wanted - produced)
            } else if self.position < self.bytes.count {
                try self.readRunHeader()
            } else {
                break
            }
        }
        return produced
    }

    /// Copies up to `count` values of the current bit-packed run to `destination`.
    @inline(__always)
    private mutating func decodePacked<T: FixedWidthInteger & UnsignedInteger>(
        into destination: UnsafeMutablePointer<T>,
        count: Int
    ) -> Int {
        var produced = 0
        // Values left over from a group split by an earlier call.
        while self.groupIndex < 8 && produced < count && self.packedRemaining > 0 {
            let offset = self.groupIndex &* 4
            let value = withUnsafeBytes(of: self.group) { $0.load(fromByteOffset: offset, as: UInt32.self) }
            destination[produced] = T(truncatingIfNeeded: value)
            self.groupIndex += 1
            self.packedRemaining -= 1
            produced += 1
        }
        let remaining = min(count - produced, self.packedRemaining)
        guard remaining > 0, let base = self.bytes.baseAddress else { return produced }
        let available = self.packedEnd - self.position
        let wholeGroups = remaining / 8
        if wholeGroups > 0 {
            BitPacking.unpack(
                base + self.position,
                byteCount: available,
                groups: wholeGroups,
                width: self.bitWidth,
                into: destination + produced
            )
            produced += wholeGroups &* 8
            self.packedRemaining -= wholeGroups &* 8
            self.position = min(self.packedEnd, self.position + wholeGroups &* self.bitWidth)
        }
        let tail = remaining & 7
        if tail > 0 {
            let start = self.position
            withUnsafeMutableBytes(of: &self.group) { scratch in
                let lanes = scratch.bindMemory(to: UInt32.self)
                if let lanesBase = lanes.baseAddress {
                    BitPacking.unpack(
                        base + start,
                        byteCount: self.packedEnd - start,
                        groups: 1,
                        width: self.bitWidth,
                        into: lanesBase
                    )
                }
                for lane in 0..<tail { destination[produced &+ lane] = T(truncatingIfNeeded: lanes[lane]) }
            }
            self.position = min(self.packedEnd, self.position + self.bitWidth)
            self.groupIndex = tail
            self.packedRemaining -= tail
            produced += tail
        }
        return produced
    }

    private mutating func readRunHeader() throws(ParquetError) {
        let headerOffset = self.position
        let header = try LEB128.read(self.bytes, at: &self.position)
        guard header <= UInt64(UInt32.max) else {
            throw ParquetError(.corrupt, "RLE run header \(header) at offset \(headerOffset) exceeds 2^32")
        }
        let length = Int(header >> 1)
        if header & 1 == 1 {
            // Bit-packed run of `length` groups. Accept a truncated final run: keep the values the bytes hold.
            let byteCount = length &* self.bitWidth
            let available = self.bytes.count - self.position
            self.packedEnd = self.position + min(byteCount, available)
            if byteCount <= available || self.bitWidth == 0 {
                self.packedRemaining = length &* 8
            } else {
                self.packedRemaining = available &* 8 / self.bitWidth
            }
            self.groupIndex = 8
        } else {
            let valueBytes = (self.bitWidth + 7) / 8
            guard self.bytes.count - self.position >= valueBytes else {
                throw ParquetError(.corrupt, "unexpected end of page in RLE run at offset \(headerOffset)")
            }
            var value: UInt32 = 0
            for byte in 0..<valueBytes {
                value |= UInt32(self.bytes[self.position + byte]) << UInt32(byte &* 8)
            }
            self.position += valueBytes
            self.repeatValue = value
            self.repeatRemaining = length
        }
    }
}
