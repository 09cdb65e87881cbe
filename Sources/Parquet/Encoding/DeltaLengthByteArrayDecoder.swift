/// Decodes DELTA_LENGTH_BYTE_ARRAY (PARQUET.md §2.4) into a ``ByteArrayBuffer``.
enum DeltaLengthByteArrayDecoder {
    /// Decodes `count` values from the start of `bytes`, appending them to `output`; returns the bytes consumed.
    ///
    /// - Throws: `.corrupt` when the stream does not hold exactly `count` values, a length is negative or the
    ///   data is short; `.limitExceeded` when `output` would pass `Int32.max` bytes. On error `output` is unchanged.
    static func decode(
        _ bytes: UnsafeRawBufferPointer,
        count: Int,
        into output: inout ByteArrayBuffer
    ) throws(ParquetError) -> Int {
        let offsetCount = output.offsets.count
        do {
            return try self.decodeValues(bytes, count: count, into: &output)
        } catch {
            output.offsets.removeLast(output.offsets.count - offsetCount)
            throw error
        }
    }

    private static func decodeValues(
        _ bytes: UnsafeRawBufferPointer,
        count: Int,
        into output: inout ByteArrayBuffer
    ) throws(ParquetError) -> Int {
        var lengths = try DeltaBinaryPackedDecoder(bytes)
        guard lengths.totalCount == count else {
            throw ParquetError(
                .corrupt,
                "DELTA_LENGTH_BYTE_ARRAY holds \(lengths.totalCount) values, expected \(count)"
            )
        }
        // Lengths become offsets directly; the running total is bounded by the page size, so it cannot overflow.
        let base = output.bytes.count
        var end = base
        output.offsets.reserveCapacity(output.offsets.count + count)
        try withUnsafeTemporaryAllocation(of: Int32.self, capacity: 512) { (chunk) throws(ParquetError) in
            while lengths.remainingCount > 0 {
                let got = try lengths.decode(into: chunk)
                for index in 0..<got {
                    let length = Int(chunk[index])
                    guard length >= 0, length <= bytes.count &- (end &- base) else {
                        throw ParquetError(.corrupt, "DELTA_LENGTH_BYTE_ARRAY length \(length) exceeds the page")
                    }
                    end &+= length
                    output.offsets.append(Int32(truncatingIfNeeded: end))
                }
            }
        }
        let dataStart = lengths.bytesConsumed
        let dataBytes = end &- base
        guard bytes.count - dataStart >= dataBytes else {
            throw ParquetError(
                .corrupt,
                "unexpected end of page: DELTA_LENGTH_BYTE_ARRAY needs \(dataBytes) bytes "
                    + "of data, \(bytes.count - dataStart) remain"
            )
        }
        try PlainDecoder.checkCapacity(output, adding: dataBytes)
        output.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[dataStart..<dataStart &+ dataBytes]))
        return dataStart &+ dataBytes
    }
}
