import CZstd

/// The zstd sequences of ``CompressionTier/literalValues`` for a page body whose PLAIN BYTE_ARRAY values
/// (each a 4-byte little-endian length, then its bytes) start at a known offset: every byte is a literal
/// but a length prefix equal to the one before it, which is a 4-byte match at the distance between the
/// two. Values of one length (digests, UUIDs, fixed-width codes) give one match per value at the same
/// offset, which zstd codes as a repeat offset in a few bits; their bytes go to the Huffman-coded literals,
/// where hex digits take 4 bits each. zstd finds these prefixes too, but only by searching every position
/// for matches that random identifiers do not have; here there is no search (decision 0013), but for
/// whole values: a value equal to a recent one (by a table of their first 8 bytes) is one match.
///
/// Reused from page to page by one ``PageCompressor``: the buffer keeps its capacity.
struct ValueLiteralSequences {
    /// A match reaches back at most this far: every zstd window of these frames is at least this large
    /// or covers the whole frame (a frame with its content size shrinks its window to the input, never
    /// below it), and `ZSTD_c_validateSequences` rejects a match beyond it rather than coding it.
    static var maximumOffset: Int { 1 << 17 }

    private var sequences: [ZSTD_Sequence] = []

    /// Compresses `input`, whose PLAIN BYTE_ARRAY values start at byte `valuesAt`, into `region` (at least
    /// the zstd bound of the input) with `context`'s parameters; returns the frame's length or zstd's error
    /// code. A value whose length runs past the input (the end of a probe, or bytes that are not PLAIN
    /// values) ends the matches: the rest are literals.
    mutating func compress(
        _ input: UnsafeRawBufferPointer,
        valuesAt: Int,
        context: OpaquePointer,
        into region: UnsafeMutableRawBufferPointer
    ) -> Int {
        let count = self.build(input, valuesAt: valuesAt)
        // A new frame, whatever the context did before; and after it the context takes parameters again
        // (`ZSTD_compressSequences` leaves it mid-session). The parameters stay.
        let reset = ZSTD_CCtx_reset(context, ZSTD_reset_session_only)
        guard ZSTD_isError(reset) == 0 else { return reset }
        defer { ZSTD_CCtx_reset(context, ZSTD_reset_session_only) }
        return self.sequences.withUnsafeBufferPointer { sequences in
            ZSTD_compressSequences(
                context,
                region.baseAddress,
                region.count,
                sequences.baseAddress,
                count,
                input.baseAddress,
                input.count
            )
        }
    }

    /// Fills the buffer with the input's sequences, in zstd's form without block delimiters (the bytes
    /// after the last match are the frame's last literals); returns how many. The buffer keeps the
    /// capacity of the page with the most values so far (16 bytes a value, a tenth of 40-byte values).
    private mutating func build(_ input: UnsafeRawBufferPointer, valuesAt: Int) -> Int {
        self.sequences.removeAll(keepingCapacity: true)
        // The table out of `self` while in use: its slots are written through a pointer, with no
        // uniqueness check a value.
        var recent: [Int32] = []
        swap(&recent, &self.recent)
        defer { swap(&recent, &self.recent) }
        if recent.count != Self.recentSlots { recent = Array(repeating: -1, count: Self.recentSlots) }
        recent.withUnsafeMutableBufferPointer { table in
            table.update(repeating: -1)
            var position = valuesAt
            var previous = -1
            var literalsFrom = 0
            while position &+ 4 <= input.count {
                let prefix = input.loadUnaligned(fromByteOffset: position, as: UInt32.self)
                let length = Int(UInt32(littleEndian: prefix))
                let complete = length <= input.count &- position &- 4
                var match = (length: 0, offset: 0)
                if complete, length >= 8, let repeated = Self.repeatedValue(input, at: position, length: length, table)
                {
                    match = (4 &+ length, position &- repeated)
                } else if previous >= 0, position &- previous <= Self.maximumOffset,
                    prefix == input.loadUnaligned(fromByteOffset: previous, as: UInt32.self)
                {
                    match = (4, position &- previous)
                }
                if match.length > 0 {
                    self.sequences.append(
                        ZSTD_Sequence(
                            offset: UInt32(truncatingIfNeeded: match.offset),
                            litLength: UInt32(truncatingIfNeeded: position &- literalsFrom),
                            matchLength: UInt32(truncatingIfNeeded: match.length),
                            rep: 0
                        )
                    )
                    literalsFrom = position &+ match.length
                }
                guard complete else { break }
                previous = position
                position &+= 4 &+ length
            }
        }
        return self.sequences.count
    }

    /// Slots of the table of recent values: a value's position by its length and first 8 bytes.
    static var recentSlots: Int { 1 << 12 }
    private var recent: [Int32] = []

    /// The position of an earlier value equal to the one at `position` (its prefix and `length` bytes,
    /// at least 8), at most ``maximumOffset`` back, found through the table of recent values, which then
    /// holds `position` instead: identifiers that come in batches (the log lines of one request) repeat
    /// close together, and a whole repeated value is one match. Costs a hash and a load a value.
    @inline(__always)
    private static func repeatedValue(
        _ input: UnsafeRawBufferPointer,
        at position: Int,
        length: Int,
        _ recent: UnsafeMutableBufferPointer<Int32>
    ) -> Int? {
        let head = input.loadUnaligned(fromByteOffset: position &+ 4, as: UInt64.self)
        let hash = (head ^ UInt64(truncatingIfNeeded: length)) &* 0x9E37_79B9_7F4A_7C15
        let slot = Int(truncatingIfNeeded: hash >> 52)
        let candidate = Int(recent[slot])
        recent[slot] = Int32(truncatingIfNeeded: position)
        guard candidate >= 0, position &- candidate <= Self.maximumOffset,
            input.loadUnaligned(fromByteOffset: candidate, as: UInt64.self)
                == input.loadUnaligned(fromByteOffset: position, as: UInt64.self),
            ByteEquality.equal(
                UnsafeRawBufferPointer(rebasing: input[(candidate &+ 4)..<(candidate &+ 4 &+ length)]),
                UnsafeRawBufferPointer(rebasing: input[(position &+ 4)..<(position &+ 4 &+ length)])
            )
        else { return nil }
        return candidate
    }
}
