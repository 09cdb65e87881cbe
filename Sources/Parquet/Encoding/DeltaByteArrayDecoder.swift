/// Decodes DELTA_BYTE_ARRAY (PARQUET.md §2.4) into a ``ByteArrayBuffer``.
enum DeltaByteArrayDecoder {
    /// Decodes `count` values from the start of `bytes`, appending them to `output`; returns the bytes consumed.
    ///
    /// - Throws: `.corrupt` when the streams do not hold `count` values, a prefix is longer than the previous
    ///   value or the data is short; `.limitExceeded` when `output` would pass `Int32.max` bytes. On error `output`
    ///   is unchanged.
    static func decode(
        _ bytes: UnsafeRawBufferPointer,
        count: Int,
        into output: inout ByteArrayBuffer
    ) throws(ParquetError) -> Int {
        var prefixDecoder = try DeltaBinaryPackedDecoder(bytes)
        guard prefixDecoder.totalCount == count else {
            throw ParquetError(
                .corrupt,
                "DELTA_BYTE_ARRAY holds \(prefixDecoder.totalCount) prefixes, expected \(count)"
            )
        }
        var prefixes = [Int32](repeating: 0, count: count)
        let decoded = try prefixes.withUnsafeMutableBufferPointer { (buffer) throws(ParquetError) in
            try prefixDecoder.decode(into: buffer)
        }
        guard decoded == count else {
            throw ParquetError(.corrupt, "DELTA_BYTE_ARRAY prefix lengths end after \(decoded) of \(count) values")
        }
        let suffixStart = prefixDecoder.bytesConsumed
        var suffixes = ByteArrayBuffer(reservingCapacity: count, bytes: 0)
        let suffixBytes = try DeltaLengthByteArrayDecoder.decode(
            UnsafeRawBufferPointer(rebasing: bytes[suffixStart...]),
            count: count,
            into: &suffixes
        )
        // Size the output first, checking every prefix against the previous value's length.
        var total = 0
        var previousLength = 0
        for index in 0..<count {
            let prefix = Int(prefixes[index])
            guard prefix >= 0, prefix <= previousLength else {
                throw ParquetError(
                    .corrupt,
                    "DELTA_BYTE_ARRAY prefix \(prefix) of value \(index) is longer than "
                        + "the previous value (\(previousLength) bytes)"
                )
            }
            previousLength = prefix &+ suffixes.length(at: index)
            total &+= previousLength
            guard total <= Int(Int32.max) else {
                throw ParquetError(.limitExceeded, "DELTA_BYTE_ARRAY values exceed \(Int32.max) bytes")
            }
        }
        try PlainDecoder.checkCapacity(output, adding: total)
        let base = output.bytes.count
        output.bytes.append(contentsOf: repeatElement(0, count: total))
        output.offsets.reserveCapacity(output.offsets.count + count)
        var position = base
        output.bytes.withUnsafeMutableBufferPointer { destination in
            suffixes.bytes.withUnsafeBufferPointer { suffixBytes in
                // Both buffers are non-empty whenever a byte is copied, so their base addresses exist then.
                guard let target = destination.baseAddress else { return }
                var previousStart = base
                for index in 0..<count {
                    let prefix = Int(prefixes[index])
                    let start = position
                    // The prefix comes from the previous value, already written just before `position`.
                    if prefix > 0 {
                        (target + position).update(from: target + previousStart, count: prefix)
                    }
                    position &+= prefix
                    let suffixLength = suffixes.length(at: index)
                    if suffixLength > 0, let suffixBase = suffixBytes.baseAddress {
                        let from = suffixBase + Int(suffixes.offsets[index])
                        (target + position).update(from: from, count: suffixLength)
                    }
                    position &+= suffixLength
                    previousStart = start
                }
            }
        }
        var end = Int32(truncatingIfNeeded: base)
        for index in 0..<count {
            end &+= Int32(truncatingIfNeeded: Int(prefixes[index]) &+ suffixes.length(at: index))
            output.offsets.append(end)
        }
        return suffixStart &+ suffixBytes
    }
}
