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

    /// Appends values `range` of `bytes`/`offsets` (value `i` is `offsets[i] ..< offsets[i + 1]`).
    mutating func append(bytes: UnsafeRawBufferPointer, offsets: UnsafeBufferPointer<Int32>, range: Range<Int>) {
        let dataBytes = Int(offsets[range.upperBound]) &- Int(offsets[range.lowerBound])
        self.reserve(dataBytes &+ 4 &* range.count)
        let position = self.byteCount
        self.byteCount = self.storage.withUnsafeMutableBytes { destination in
            PlainEncoder.writeByteArrays(bytes, offsets: offsets, range: range, into: destination, at: position)
        }
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
}
