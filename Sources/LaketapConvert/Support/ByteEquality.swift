#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Compares a stored name's UTF-8 with a key's bytes in a record: the fast path of field lookups in
/// the shredder and the schema inferrer. (Parquet's `ByteComparison` does the same for statistics but
/// is internal to that module; a call across modules would not be inlined on this hot path.)
enum ByteEquality {
    @inline(__always)
    static func equal(_ stored: [UInt8], _ raw: UnsafeRawBufferPointer) -> Bool {
        stored.withUnsafeBytes { stored in
            stored.count == raw.count && (raw.isEmpty || memcmp(stored.baseAddress!, raw.baseAddress!, raw.count) == 0)
        }
    }
}
