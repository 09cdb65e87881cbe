/// A page's BYTE_ARRAY values already in their PLAIN form (each a 4-byte little-endian length, then its
/// bytes), built as values arrive after ``headroom`` bytes kept free for the page's levels, so a V1 page
/// body is lent as it stands (``lend(after:)``): its levels go into the headroom, and the body is
/// compressed without being copied.
///
/// Its storage only grows, without being zero-filled (`growUninitialized(toCount:keeping:)`, its values
/// kept), and keeps its bytes between pages: a page is written over the previous one; a lent storage
/// comes back with ``takeBack(_:)`` once its page is compressed.
struct PlainByteArrayPage {
    /// The bytes before the values: a page of up to a million slots without nulls takes 9 bytes of
    /// definition levels (their length, one RLE run), a required column none.
    static var headroom: Int { 32 }

    private var storage: [UInt8] = []
    /// The bytes of values in use after the headroom.
    private(set) var byteCount = 0
    /// The size of the storage last lent and not given back (its page compressed elsewhere): the next
    /// page reserves it at once instead of growing to it step by step, copying as it goes.
    private var lentCount = 0

    /// Appends values `range` of `bytes`/`offsets` (value `i` is `offsets[i] ..< offsets[i + 1]`); `each`
    /// sees every value as it is written.
    @inline(__always)
    mutating func append(
        bytes: UnsafeRawBufferPointer,
        offsets: UnsafeBufferPointer<Int32>,
        range: Range<Int>,
        each: (UnsafeRawBufferPointer) -> Void = { _ in }
    ) {
        let dataBytes = Int(offsets[range.upperBound]) &- Int(offsets[range.lowerBound])
        self.reserve(dataBytes &+ 4 &* range.count)
        let position = Self.headroom &+ self.byteCount
        let end = self.storage.withUnsafeMutableBytes { destination in
            PlainEncoder.writeByteArrays(
                bytes,
                offsets: offsets,
                range: range,
                into: destination,
                at: position,
                each: each
            )
        }
        self.byteCount = end &- Self.headroom
    }

    /// Appends the page's PLAIN section to `output` and empties the page, keeping its storage.
    mutating func flush(into output: inout [UInt8]) {
        guard self.byteCount > 0 else { return }
        let values = Self.headroom..<(Self.headroom + self.byteCount)
        self.storage.withUnsafeBytes { output.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[values])) }
        self.byteCount = 0
    }

    /// The page body `levels` then the values, as `range` of the storage, which the page gives up; the
    /// page starts empty. Nil when the levels do not fit the headroom (then ``flush(into:)``).
    mutating func lend(after levels: [UInt8]) -> (bytes: [UInt8], range: Range<Int>)? {
        guard levels.count <= Self.headroom else { return nil }
        self.reserve(0)
        let start = Self.headroom - levels.count
        self.storage.withUnsafeMutableBytes { storage in
            levels.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: storage[start...]).copyMemory(from: $0) }
        }
        let range = start..<(Self.headroom + self.byteCount)
        var lent: [UInt8] = []
        swap(&lent, &self.storage)
        self.lentCount = lent.count
        self.byteCount = 0
        return (lent, range)
    }

    /// Takes back the storage of a lent page whose body is no longer needed, unless the page has storage
    /// again.
    mutating func takeBack(_ storage: [UInt8]) {
        guard self.storage.capacity == 0 else { return }
        self.storage = storage
        self.lentCount = 0
    }

    /// Gives the storage back (the writer's page-memory budget asked for it).
    mutating func release() {
        self.storage = []
        self.byteCount = 0
        self.lentCount = 0
    }

    /// Grows `storage` to hold the headroom and `bytes` more values, geometrically, or at once to the size
    /// of the storage last lent; the new bytes are not zeroed, as they are written next.
    private mutating func reserve(_ bytes: Int) {
        let needed = Self.headroom &+ self.byteCount &+ bytes
        guard needed > self.storage.count else { return }
        self.storage.growUninitialized(
            toCount: Swift.max(needed, self.lentCount, 2 &* self.storage.count),
            keeping: Self.headroom &+ self.byteCount
        )
    }
}
