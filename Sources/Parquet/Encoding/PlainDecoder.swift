/// Decodes PLAIN values (PARQUET.md §2.1), appending to the caller's storage.
///
/// Every function reads `count` values from the start of `bytes`, returns the number of bytes consumed, and throws
/// `.corrupt` ("unexpected end of page") when `bytes` is too short; on error the output is left unchanged.
enum PlainDecoder {
    /// Decodes `count` bit-packed booleans (LSB first).
    static func decodeBooleans(
        _ bytes: UnsafeRawBufferPointer,
        count: Int,
        into output: inout [Bool]
    ) throws(ParquetError) -> Int {
        let byteCount = (count + 7) / 8
        try self.require(byteCount, of: bytes, count: count, type: "BOOLEAN")
        guard count > 0 else { return 0 }
        let offset = output.count
        output.append(contentsOf: repeatElement(false, count: count))
        output.withUnsafeMutableBytes { destination in
            var index = 0
            var byte = 0
            // Spread the 8 bits of a byte into the low bit of 8 bytes: broadcast, keep bit k in byte k, then turn
            // each non-zero byte into 1 by adding 0x7F and keeping bit 7.
            while index &+ 8 <= count {
                let broadcast = UInt64(bytes[byte]) &* 0x0101_0101_0101_0101
                let selected = broadcast & 0x8040_2010_0804_0201
                let spread = ((selected &+ 0x7F7F_7F7F_7F7F_7F7F) &>> 7) & 0x0101_0101_0101_0101
                destination.storeBytes(of: spread.littleEndian, toByteOffset: offset &+ index, as: UInt64.self)
                index &+= 8
                byte &+= 1
            }
            while index < count {
                let bit = (bytes[index &>> 3] &>> UInt8(index & 7)) & 1
                destination[offset &+ index] = bit
                index &+= 1
            }
        }
        return byteCount
    }

    /// Decodes `count` little-endian integers.
    static func decode<T: FixedWidthInteger>(
        _ bytes: UnsafeRawBufferPointer,
        count: Int,
        into output: inout [T]
    ) throws(ParquetError) -> Int {
        let byteCount = try self.fixedWidthByteCount(count, size: MemoryLayout<T>.size, bytes: bytes)
        let offset = output.count
        output.append(contentsOf: repeatElement(0, count: count))
        #if _endian(little)
        output.withUnsafeMutableBytes { destination in
            let start = offset &* MemoryLayout<T>.size
            UnsafeMutableRawBufferPointer(rebasing: destination[start...]).copyMemory(
                from: UnsafeRawBufferPointer(rebasing: bytes[0..<byteCount])
            )
        }
        #else
        output.withUnsafeMutableBufferPointer { destination in
            for index in 0..<count {
                destination[offset &+ index] = T(
                    littleEndian: bytes.loadUnaligned(fromByteOffset: index &* MemoryLayout<T>.size, as: T.self)
                )
            }
        }
        #endif
        return byteCount
    }

    /// Decodes `count` FLOAT values.
    static func decode(
        _ bytes: UnsafeRawBufferPointer,
        count: Int,
        into output: inout [Float]
    ) throws(ParquetError) -> Int {
        let byteCount = try self.fixedWidthByteCount(count, size: 4, bytes: bytes)
        output.reserveCapacity(output.count + count)
        for index in 0..<count {
            let bits = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self))
            output.append(Float(bitPattern: bits))
        }
        return byteCount
    }

    /// Decodes `count` DOUBLE values.
    static func decode(
        _ bytes: UnsafeRawBufferPointer,
        count: Int,
        into output: inout [Double]
    ) throws(ParquetError) -> Int {
        let byteCount = try self.fixedWidthByteCount(count, size: 8, bytes: bytes)
        output.reserveCapacity(output.count + count)
        for index in 0..<count {
            let bits = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index &* 8, as: UInt64.self))
            output.append(Double(bitPattern: bits))
        }
        return byteCount
    }

    /// Decodes `count` BYTE_ARRAY values (u32 length + bytes each), appending them to `output`.
    ///
    /// - Throws: `.corrupt` when a length runs past the end of `bytes`, `.limitExceeded` when `output` would pass
    ///   `Int32.max` bytes.
    static func decodeByteArrays(
        _ bytes: UnsafeRawBufferPointer,
        count: Int,
        into output: inout ByteArrayBuffer
    ) throws(ParquetError) -> Int {
        guard count >= 0, count <= bytes.count / 4 else {
            throw ParquetError(
                .corrupt,
                "unexpected end of page: \(count) BYTE_ARRAY values need at least "
                    + "\(count) length prefixes, the page has \(bytes.count) bytes"
            )
        }
        // First pass: validate the lengths and size the output.
        var position = 0
        for _ in 0..<count {
            guard bytes.count - position >= 4 else {
                throw ParquetError(.corrupt, "unexpected end of page in BYTE_ARRAY length at offset \(position)")
            }
            let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
            position &+= 4
            guard bytes.count - position >= length else {
                throw ParquetError(
                    .corrupt,
                    "unexpected end of page: BYTE_ARRAY of \(length) bytes at offset "
                        + "\(position - 4)"
                )
            }
            position &+= length
        }
        let dataBytes = position &- count &* 4
        try self.checkCapacity(output, adding: dataBytes)
        // Second pass: copy.
        var end = Int32(truncatingIfNeeded: output.bytes.count)
        output.offsets.reserveCapacity(output.offsets.count + count)
        output.bytes.reserveCapacity(output.bytes.count + dataBytes)
        position = 0
        for _ in 0..<count {
            let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
            position &+= 4
            output.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[position..<position &+ length]))
            position &+= length
            end &+= Int32(truncatingIfNeeded: length)
            output.offsets.append(end)
        }
        return position
    }

    /// Decodes `count` FIXED_LEN_BYTE_ARRAY values of `typeLength` bytes each, appending them to `output`.
    static func decodeFixedLength(
        _ bytes: UnsafeRawBufferPointer,
        count: Int,
        typeLength: Int,
        into output: inout ByteArrayBuffer
    ) throws(ParquetError) -> Int {
        guard typeLength >= 0 else {
            throw ParquetError(.corrupt, "FIXED_LEN_BYTE_ARRAY type length \(typeLength) is negative")
        }
        let byteCount = try self.fixedWidthByteCount(count, size: typeLength, bytes: bytes)
        try self.checkCapacity(output, adding: byteCount)
        output.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<byteCount]))
        output.offsets.reserveCapacity(output.offsets.count + count)
        var end = output.offsets[output.offsets.count - 1]
        let step = Int32(truncatingIfNeeded: typeLength)
        for _ in 0..<count {
            end &+= step
            output.offsets.append(end)
        }
        return byteCount
    }

    @inline(__always)
    private static func fixedWidthByteCount(
        _ count: Int,
        size: Int,
        bytes: UnsafeRawBufferPointer
    ) throws(ParquetError) -> Int {
        guard count >= 0 else { throw ParquetError(.corrupt, "negative value count \(count)") }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, byteCount <= bytes.count else {
            throw ParquetError(
                .corrupt,
                "unexpected end of page: \(count) values of \(size) bytes, page has "
                    + "\(bytes.count) bytes"
            )
        }
        return byteCount
    }

    @inline(__always)
    private static func require(
        _ byteCount: Int,
        of bytes: UnsafeRawBufferPointer,
        count: Int,
        type: String
    ) throws(ParquetError) {
        guard count >= 0, byteCount <= bytes.count else {
            throw ParquetError(
                .corrupt,
                "unexpected end of page: \(count) \(type) values need \(byteCount) bytes, "
                    + "page has \(bytes.count)"
            )
        }
    }

    /// Throws `.limitExceeded` when `output` cannot take `byteCount` more bytes with Int32 offsets.
    static func checkCapacity(_ output: ByteArrayBuffer, adding byteCount: Int) throws(ParquetError) {
        guard byteCount <= Int(Int32.max) - output.bytes.count else {
            throw ParquetError(.limitExceeded, "byte array buffer would exceed \(Int32.max) bytes")
        }
    }
}
