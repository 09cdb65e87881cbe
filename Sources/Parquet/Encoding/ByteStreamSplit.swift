/// BYTE_STREAM_SPLIT (PARQUET.md §2.4): byte `i` of every `width`-byte value goes to stream `i`, and the streams
/// are concatenated without a header.
enum ByteStreamSplit {
    /// Appends the split form of `bytes`, which holds `bytes.count / width` values of `width` bytes.
    static func encode(_ bytes: UnsafeRawBufferPointer, width: Int, into output: inout [UInt8]) {
        precondition(width > 0 && bytes.count % width == 0, "BYTE_STREAM_SPLIT input is not whole \(width)-byte values")
        let count = bytes.count / width
        guard count > 0, let source = bytes.baseAddress else { return }
        let offset = output.count
        output.append(contentsOf: repeatElement(0, count: bytes.count))
        output.withUnsafeMutableBytes { buffer in
            guard let destination = buffer.baseAddress?.advanced(by: offset) else { return }
            switch width {
            case 4: self.split(source, count: count, width: 4, into: destination)
            case 8: self.split(source, count: count, width: 8, into: destination)
            case 2: self.split(source, count: count, width: 2, into: destination)
            default: self.split(source, count: count, width: width, into: destination)
            }
        }
    }

    /// Appends `count` values of `width` bytes rebuilt from the streams at the start of `bytes`.
    ///
    /// - Throws: `.corrupt` when `bytes` holds fewer than `count * width` bytes or `width` is not positive.
    static func decode(
        _ bytes: UnsafeRawBufferPointer,
        width: Int,
        count: Int,
        into output: inout [UInt8]
    ) throws(ParquetError) {
        guard width > 0, count >= 0 else {
            throw ParquetError(.corrupt, "BYTE_STREAM_SPLIT width \(width) or count \(count) is not valid")
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow, byteCount <= bytes.count else {
            throw ParquetError(
                .corrupt,
                "unexpected end of page: BYTE_STREAM_SPLIT needs \(count) × \(width) bytes, "
                    + "page has \(bytes.count)"
            )
        }
        guard count > 0, let source = bytes.baseAddress else { return }
        let offset = output.count
        output.append(contentsOf: repeatElement(0, count: byteCount))
        output.withUnsafeMutableBytes { buffer in
            guard let destination = buffer.baseAddress?.advanced(by: offset) else { return }
            switch width {
            case 4: self.join(source, count: count, width: 4, into: destination)
            case 8: self.join(source, count: count, width: 8, into: destination)
            case 2: self.join(source, count: count, width: 2, into: destination)
            default: self.join(source, count: count, width: width, into: destination)
            }
        }
    }

    @inline(__always)
    private static func split(
        _ source: UnsafeRawPointer,
        count: Int,
        width: Int,
        into destination: UnsafeMutableRawPointer
    ) {
        let output = destination.assumingMemoryBound(to: UInt8.self)
        for index in 0..<count {
            let value = source + index &* width
            for stream in 0..<width {
                output[stream &* count &+ index] = value.load(fromByteOffset: stream, as: UInt8.self)
            }
        }
    }

    @inline(__always)
    private static func join(
        _ source: UnsafeRawPointer,
        count: Int,
        width: Int,
        into destination: UnsafeMutableRawPointer
    ) {
        let output = destination.assumingMemoryBound(to: UInt8.self)
        for index in 0..<count {
            let value = output + index &* width
            for stream in 0..<width {
                value[stream] = source.load(fromByteOffset: stream &* count &+ index, as: UInt8.self)
            }
        }
    }
}
