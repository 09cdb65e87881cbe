extension Array where Element == UInt8 {
    /// Appends `value` as little-endian bytes.
    @inlinable
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { self.append(contentsOf: $0) }
    }

    /// Appends an unsigned LEB128 varint.
    @inlinable
    mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            self.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        self.append(UInt8(truncatingIfNeeded: v))
    }

    /// Appends a zigzag-encoded varint.
    @inlinable
    mutating func appendZigZagVarint(_ value: Int64) {
        self.appendVarint(UInt64(bitPattern: (value &<< 1) ^ (value >> 63)))
    }

    /// Overwrites four bytes at `offset` with `value` in little-endian order.
    @inlinable
    mutating func storeLittleEndian(_ value: UInt32, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value)
        self[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
        self[offset + 2] = UInt8(truncatingIfNeeded: value >> 16)
        self[offset + 3] = UInt8(truncatingIfNeeded: value >> 24)
    }
}
