/// Reading of the unsigned LEB128 and zigzag varints used in encoding headers (the writing side is in
/// `Array+LittleEndian.swift`).
enum LEB128 {
    /// Reads an unsigned varint of at most 10 bytes at `position` and advances `position` past it.
    @inlinable
    static func read(_ bytes: UnsafeRawBufferPointer, at position: inout Int) throws(ParquetError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var index = position
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if shift == 63 && byte > 1 {
                throw ParquetError(.corrupt, "varint at offset \(position) overflows 64 bits")
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                position = index
                return result
            }
            shift += 7
            if shift > 63 {
                throw ParquetError(.corrupt, "varint at offset \(position) is longer than 10 bytes")
            }
        }
        throw ParquetError(.corrupt, "unexpected end of page in varint at offset \(position)")
    }

    /// Reads a zigzag-encoded signed varint at `position` and advances `position` past it.
    @inlinable
    static func readZigZag(_ bytes: UnsafeRawBufferPointer, at position: inout Int) throws(ParquetError) -> Int64 {
        let raw = try read(bytes, at: &position)
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }
}
