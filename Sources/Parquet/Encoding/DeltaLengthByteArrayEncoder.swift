/// Encodes DELTA_LENGTH_BYTE_ARRAY (PARQUET.md §2.4): the lengths as DELTA_BINARY_PACKED, then all bytes.
enum DeltaLengthByteArrayEncoder {
    /// Appends values `range` of `values` to `output`.
    static func encode(_ values: ByteArrayBuffer, range: Range<Int>, into output: inout [UInt8]) {
        values.offsets.withUnsafeBufferPointer { offsets in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: range.count) { lengths in
                for (slot, index) in range.enumerated() {
                    lengths[slot] = offsets[index &+ 1] &- offsets[index]
                }
                DeltaBinaryPackedEncoder.encode(UnsafeBufferPointer(lengths), into: &output)
            }
        }
        guard !range.isEmpty else { return }
        let dataStart = Int(values.offsets[range.lowerBound])
        let dataEnd = Int(values.offsets[range.upperBound])
        values.bytes.withUnsafeBytes { source in
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: source[dataStart..<dataEnd]))
        }
    }
}
