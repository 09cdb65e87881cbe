/// Encodes values in the PLAIN encoding (PARQUET.md §2.1), appending to a byte array.
enum PlainEncoder {
    /// Packs booleans one bit each, LSB first; the last byte is padded with zeros.
    static func encodeBooleans(_ values: UnsafeBufferPointer<Bool>, into output: inout [UInt8]) {
        guard let base = values.baseAddress, !values.isEmpty else { return }
        let count = values.count
        let byteCount = (count + 7) / 8
        let offset = output.count
        output.append(contentsOf: repeatElement(0, count: byteCount))
        output.withUnsafeMutableBufferPointer { buffer in
            let source = UnsafeRawPointer(base)
            var index = 0
            var byte = offset
            // A Bool is stored as one byte holding 0 or 1; gather the low bit of 8 of them with one multiply
            // (byte k of the word lands on bit 56 + k, and no partial products overlap).
            while index &+ 8 <= count {
                let word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                buffer[byte] = UInt8(truncatingIfNeeded: (word &* 0x0102_0408_1020_4080) &>> 56)
                index &+= 8
                byte &+= 1
            }
            var last: UInt8 = 0
            var bit: UInt8 = 0
            while index < count {
                if base[index] { last |= 1 &<< bit }
                bit &+= 1
                index &+= 1
            }
            if bit > 0 { buffer[byte] = last }
        }
    }

    /// Appends integers as little-endian bytes (a single copy on little-endian hosts).
    static func encode<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, into output: inout [UInt8]) {
        #if _endian(little)
        output.append(contentsOf: UnsafeRawBufferPointer(values))
        #else
        output.reserveCapacity(output.count + values.count &* MemoryLayout<T>.size)
        for value in values { output.appendLittleEndian(value) }
        #endif
    }

    /// Appends FLOAT values as 4 little-endian bytes each.
    static func encode(_ values: UnsafeBufferPointer<Float>, into output: inout [UInt8]) {
        #if _endian(little)
        output.append(contentsOf: UnsafeRawBufferPointer(values))
        #else
        output.reserveCapacity(output.count + values.count &* 4)
        for value in values { output.appendLittleEndian(value.bitPattern) }
        #endif
    }

    /// Appends DOUBLE values as 8 little-endian bytes each.
    static func encode(_ values: UnsafeBufferPointer<Double>, into output: inout [UInt8]) {
        #if _endian(little)
        output.append(contentsOf: UnsafeRawBufferPointer(values))
        #else
        output.reserveCapacity(output.count + values.count &* 8)
        for value in values { output.appendLittleEndian(value.bitPattern) }
        #endif
    }

    /// Appends BYTE_ARRAY values `range` of `values`, each as a u32 little-endian length followed by its bytes.
    static func encodeByteArrays(_ values: ByteArrayBuffer, range: Range<Int>, into output: inout [UInt8]) {
        guard !range.isEmpty else { return }
        let dataStart = Int(values.offsets[range.lowerBound])
        let dataEnd = Int(values.offsets[range.upperBound])
        let offset = output.count
        output.append(contentsOf: repeatElement(0, count: range.count &* 4 &+ (dataEnd &- dataStart)))
        output.withUnsafeMutableBytes { destination in
            values.bytes.withUnsafeBytes { source in
                values.offsets.withUnsafeBufferPointer { offsets in
                    _ = Self.writeByteArrays(source, offsets: offsets, range: range, into: destination, at: offset)
                }
            }
        }
    }

    /// Writes BYTE_ARRAY values `range` of `bytes` (value `i` is `offsets[i] ..< offsets[i + 1]`) PLAIN into
    /// `destination` from `position`, which has room for them (4 bytes of length each, then the bytes);
    /// returns the position after them. `each` sees every value just before it is copied, so one pass over
    /// the values serves both (a page's statistics took a second loop, which read them all again).
    @inline(__always)
    static func writeByteArrays(
        _ bytes: UnsafeRawBufferPointer,
        offsets: UnsafeBufferPointer<Int32>,
        range: Range<Int>,
        into destination: UnsafeMutableRawBufferPointer,
        at position: Int,
        each: (UnsafeRawBufferPointer) -> Void = { _ in }
    ) -> Int {
        var position = position
        for index in range {
            let start = Int(offsets[index])
            let length = Int(offsets[index &+ 1]) &- start
            each(UnsafeRawBufferPointer(rebasing: bytes[start..<start &+ length]))
            destination.storeBytes(
                of: UInt32(truncatingIfNeeded: length).littleEndian,
                toByteOffset: position,
                as: UInt32.self
            )
            position &+= 4
            if length > 0 {
                UnsafeMutableRawBufferPointer(rebasing: destination[position..<position &+ length])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[start..<start &+ length]))
            }
            position &+= length
        }
        return position
    }

    /// Appends FIXED_LEN_BYTE_ARRAY values `range` of `values` as their raw bytes, back to back.
    static func encodeFixedLength(_ values: ByteArrayBuffer, range: Range<Int>, into output: inout [UInt8]) {
        guard !range.isEmpty else { return }
        let dataStart = Int(values.offsets[range.lowerBound])
        let dataEnd = Int(values.offsets[range.upperBound])
        values.bytes.withUnsafeBytes { source in
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: source[dataStart..<dataEnd]))
        }
    }
}
