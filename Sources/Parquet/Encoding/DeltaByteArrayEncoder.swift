/// Encodes DELTA_BYTE_ARRAY (PARQUET.md §2.4): the length of the prefix shared with the previous value as
/// DELTA_BINARY_PACKED, then the remaining suffixes as DELTA_LENGTH_BYTE_ARRAY.
enum DeltaByteArrayEncoder {
    /// Appends values `range` of `values` to `output`.
    static func encode(_ values: ByteArrayBuffer, range: Range<Int>, into output: inout [UInt8]) {
        let count = range.count
        values.bytes.withUnsafeBufferPointer { bytes in
            values.offsets.withUnsafeBufferPointer { offsets in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: count &* 2) { scratch in
                    let prefixes = UnsafeMutableBufferPointer(rebasing: scratch[0..<count])
                    let suffixes = UnsafeMutableBufferPointer(rebasing: scratch[count...])
                    var previousStart = 0
                    var previousLength = 0
                    var suffixBytes = 0
                    for (slot, index) in range.enumerated() {
                        let start = Int(offsets[index])
                        let length = Int(offsets[index &+ 1]) &- start
                        let limit = min(length, previousLength)
                        var prefix = 0
                        while prefix < limit && bytes[previousStart &+ prefix] == bytes[start &+ prefix] {
                            prefix &+= 1
                        }
                        prefixes[slot] = Int32(truncatingIfNeeded: prefix)
                        suffixes[slot] = Int32(truncatingIfNeeded: length &- prefix)
                        suffixBytes &+= length &- prefix
                        previousStart = start
                        previousLength = length
                    }
                    DeltaBinaryPackedEncoder.encode(UnsafeBufferPointer(prefixes), into: &output)
                    DeltaBinaryPackedEncoder.encode(UnsafeBufferPointer(suffixes), into: &output)
                    output.reserveCapacity(output.count &+ suffixBytes)
                    for (slot, index) in range.enumerated() {
                        let start = Int(offsets[index]) &+ Int(prefixes[slot])
                        let end = Int(offsets[index &+ 1])
                        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
                    }
                }
            }
        }
    }
}
