/// A page's BYTE_ARRAY values already in their PLAIN form (each a 4-byte little-endian length, then its
/// bytes), built as values arrive, so a page flush is one copy of the finished section.
///
/// Its storage only grows and keeps its bytes between pages: a page is written over the previous one
/// instead of being zero-filled again (`Array` has no uninitialised append), and the flush copies only the
/// bytes in use.
struct PlainByteArrayPage {
    private var storage: [UInt8] = []
    /// The bytes of `storage` the page uses.
    private(set) var byteCount = 0

    /// The bytes the page holds on to, in use or not.
    var memory: Int { self.storage.count }

    /// Appends values `range` of `bytes`/`offsets` (value `i` is `offsets[i] ..< offsets[i + 1]`).
    mutating func append(bytes: UnsafeRawBufferPointer, offsets: UnsafeBufferPointer<Int32>, range: Range<Int>) {
        let dataBytes = Int(offsets[range.upperBound]) &- Int(offsets[range.lowerBound])
        self.reserve(dataBytes &+ 4 &* range.count)
        var position = self.byteCount
        self.storage.withUnsafeMutableBytes { destination in
            for index in range {
                let start = Int(offsets[index])
                let length = Int(offsets[index &+ 1]) &- start
                Self.store(length, bytes.baseAddress.map { $0 + start }, into: destination, at: &position)
            }
        }
        self.byteCount = position
    }

    /// Appends one value.
    mutating func append(_ value: UnsafeRawBufferPointer) {
        self.reserve(value.count &+ 4)
        var position = self.byteCount
        self.storage.withUnsafeMutableBytes { Self.store(value.count, value.baseAddress, into: $0, at: &position) }
        self.byteCount = position
    }

    /// Appends the page's PLAIN section to `output` and empties the page, keeping its storage.
    mutating func flush(into output: inout [UInt8]) {
        self.storage.withUnsafeBytes {
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[0..<self.byteCount]))
        }
        self.byteCount = 0
    }

    /// Gives the storage back (the writer's page-memory budget asked for it).
    mutating func release() {
        self.storage = []
        self.byteCount = 0
    }

    /// Grows `storage` to hold `bytes` more; zeroes only those (the capacity still grows geometrically), as
    /// they are written next.
    private mutating func reserve(_ bytes: Int) {
        let needed = self.byteCount &+ bytes
        if needed > self.storage.count { self.storage.appendZeroBytes(needed &- self.storage.count) }
    }

    @inline(__always)
    private static func store(
        _ length: Int,
        _ source: UnsafeRawPointer?,
        into destination: UnsafeMutableRawBufferPointer,
        at position: inout Int
    ) {
        destination.storeBytes(
            of: UInt32(truncatingIfNeeded: length).littleEndian,
            toByteOffset: position,
            as: UInt32.self
        )
        position &+= 4
        if length > 0, let source, let base = destination.baseAddress {
            (base + position).copyMemory(from: source, byteCount: length)
        }
        position &+= length
    }
}
