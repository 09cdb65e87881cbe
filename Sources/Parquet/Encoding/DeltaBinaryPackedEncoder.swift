/// Encodes DELTA_BINARY_PACKED (PARQUET.md §2.4) with blocks of 128 values in 4 miniblocks of 32, as arrow-rs and
/// parquet-java do.
///
/// Deltas are taken in the width of the physical type with wrapping arithmetic, so INT32 residuals never need more
/// than 32 bits and INT64 residuals never more than 64.
enum DeltaBinaryPackedEncoder {
    static let blockSize = 128
    static let miniblockCount = 4
    static let miniblockSize = 32

    /// Appends the INT32 values as one DELTA_BINARY_PACKED stream to `output`.
    static func encode(_ values: UnsafeBufferPointer<Int32>, into output: inout [UInt8]) {
        self.encodeValues(values, into: &output)
    }

    /// Appends the INT64 values as one DELTA_BINARY_PACKED stream to `output`.
    static func encode(_ values: UnsafeBufferPointer<Int64>, into output: inout [UInt8]) {
        self.encodeValues(values, into: &output)
    }

    @inline(__always)
    private static func encodeValues<T: FixedWidthInteger & SignedInteger>(
        _ values: UnsafeBufferPointer<T>,
        into output: inout [UInt8]
    ) {
        output.appendVarint(UInt64(self.blockSize))
        output.appendVarint(UInt64(self.miniblockCount))
        output.appendVarint(UInt64(values.count))
        output.appendZigZagVarint(Int64(values.first ?? 0))
        guard let base = values.baseAddress, values.count > 1 else { return }
        output.reserveCapacity(output.count + values.count &* MemoryLayout<T>.size / 2 + 64)
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: self.blockSize) { scratch in
            // The allocation has `blockSize` elements, so its base address exists.
            guard let residuals = scratch.baseAddress else { return }
            var previous = base[0]
            var index = 1
            while index < values.count {
                let count = min(self.blockSize, values.count - index)
                var minimum = T.max
                for offset in 0..<count {
                    let value = base[index &+ offset]
                    let delta = value &- previous
                    previous = value
                    residuals[offset] = UInt64(truncatingIfNeeded: delta)
                    minimum = Swift.min(minimum, delta)
                }
                for offset in 0..<count {
                    let delta = T(truncatingIfNeeded: residuals[offset])
                    residuals[offset] = UInt64(truncatingIfNeeded: T.Magnitude(truncatingIfNeeded: delta &- minimum))
                }
                for offset in count..<self.blockSize { residuals[offset] = 0 }
                self.emitBlock(residuals, count: count, minimum: Int64(minimum), into: &output)
                index += count
            }
        }
    }

    /// Appends one block: min delta, the miniblock widths, then the miniblocks that hold values.
    @inline(__always)
    private static func emitBlock(
        _ residuals: UnsafeMutablePointer<UInt64>,
        count: Int,
        minimum: Int64,
        into output: inout [UInt8]
    ) {
        output.appendZigZagVarint(minimum)
        var widths: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let usedMiniblocks = (count + self.miniblockSize - 1) / self.miniblockSize
        var dataBytes = 0
        withUnsafeMutableBytes(of: &widths) { widthBytes in
            for miniblock in 0..<usedMiniblocks {
                var bits: UInt64 = 0
                let start = residuals + miniblock &* self.miniblockSize
                for offset in 0..<self.miniblockSize { bits |= start[offset] }
                let width = BitWidth.forMaxValue(bits)
                widthBytes[miniblock] = UInt8(width)
                dataBytes += width &* self.miniblockSize / 8
            }
            output.append(contentsOf: widthBytes)
        }
        let offset = output.count
        output.append(contentsOf: repeatElement(0, count: dataBytes + BitPacking.packSlack))
        output.withUnsafeMutableBytes { buffer in
            guard var destination = buffer.baseAddress?.advanced(by: offset) else { return }
            withUnsafeBytes(of: widths) { widthBytes in
                for miniblock in 0..<usedMiniblocks {
                    let width = Int(widthBytes[miniblock])
                    BitPacking.pack(
                        UnsafePointer(residuals + miniblock &* self.miniblockSize),
                        groups: self.miniblockSize / 8,
                        width: width,
                        into: destination
                    )
                    destination += width &* self.miniblockSize / 8
                }
            }
        }
        output.removeLast(BitPacking.packSlack)
    }
}
