/// Whether two byte strings are equal, inlined where it is called: the hot comparisons (dictionary
/// entries here, field names in the shredder and the schema inferrer) are of short strings, where a
/// call to `memcmp` cost more than the comparison.
public enum ByteEquality {
    @inlinable @inline(__always)
    public static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let count = a.count
        guard count == b.count else { return false }
        if count >= 8 {
            // Words from the start, then the last (possibly overlapping) word.
            var offset = 0
            while offset &+ 8 < count {
                guard
                    a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                        == b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                else { return false }
                offset &+= 8
            }
            return a.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
                == b.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        }
        if count >= 4 {
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
                    == b.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        }
        var index = 0
        while index < count {
            guard a[index] == b[index] else { return false }
            index &+= 1
        }
        return true
    }

    /// `stored`'s bytes against `raw`.
    @inlinable @inline(__always)
    public static func equal(_ stored: [UInt8], _ raw: UnsafeRawBufferPointer) -> Bool {
        stored.withUnsafeBytes { Self.equal($0, raw) }
    }
}
