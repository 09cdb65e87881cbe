import CIntrinsics

/// The zstd frame (RFC 8878) of a page of PLAIN values that are all hex digits of one length and one case
/// (digests, trace and span identifiers), written here without zstd (decision 0015).
///
/// ``CompressionTier/literalValues`` codes such a page as Huffman-coded literals and a repeat-offset match
/// for each length prefix; zstd's Huffman coder then spends most of the time. With every digit under the
/// 4-bit code of its own value (the canonical code zstd's decoder builds from 16 equal weights, RFC 8878
/// §4.2.1.3), the Huffman streams are the digits packed two a byte, in reverse, and every sequence is the
/// same: so the frame is written directly. The bytes up to the second value's prefix go in raw blocks;
/// the second value and the next prefix, a match at the distance between prefixes, in a block of their
/// own; the rest in blocks of at most 128 KiB whose sequences are that match as repeat offset 1, coded
/// in RLE mode: a few bits a value (the length's extra bits), no table. The first of those blocks
/// carries the Huffman weights, the later ones reuse them.
///
/// Reused from page to page by one ``PageCompressor``: the gathering buffer keeps its capacity.
struct HexDigestFrame {
    /// Value lengths that take this frame: 16 digits or more keep each Huffman stream non-empty.
    static var lengths: ClosedRange<Int> { 16...4096 }
    /// The most bytes a block may regenerate.
    static var blockContent: Int { 128 << 10 }

    /// The digits of a block's values, back to back (at its start: the buffer only grows).
    private var literals: [UInt8] = []
    /// The first 8 bytes of recent values, by a hash of them: how often values repeat.
    private var heads: [UInt64] = []
    private static var headSlots: Int { 4096 }

    /// Writes the frame of `input`, whose PLAIN BYTE_ARRAY values start at byte `valuesAt`, into `region`;
    /// returns its length, or nil when the values are not three or more hex digits of one length in
    /// ``lengths`` and one case, or the frame would not fit.
    mutating func write(
        _ input: UnsafeRawBufferPointer,
        valuesAt: Int,
        into region: UnsafeMutableRawBufferPointer
    ) -> Int? {
        let valueBytes = input.count - valuesAt
        guard valuesAt >= 0, valueBytes >= 4 else { return nil }
        let length = Int(UInt32(littleEndian: input.loadUnaligned(fromByteOffset: valuesAt, as: UInt32.self)))
        let stride = length + 4
        guard Self.lengths.contains(length), valueBytes % stride == 0, valueBytes / stride >= 3 else { return nil }
        let count = valueBytes / stride
        // The first value's case, upper when it has an upper-case letter; a value of other bytes ends it
        // here (UUIDs, tokens), before any work.
        var letters = UInt8(ascii: "a")
        for byte in UnsafeRawBufferPointer(rebasing: input[(valuesAt + 4)..<(valuesAt + stride)]) {
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F") {
                letters = UInt8(ascii: "A")
            } else if !(byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                && !(byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            {
                return nil
            }
        }
        guard self.onePrefixFewRepeats(input, valuesAt: valuesAt, count: count, length: length) else { return nil }

        var frame = FrameWriter(region)
        frame.header(contentSize: input.count)
        // Everything up to the second value's prefix, raw.
        let rawEnd = valuesAt + stride + 4
        var start = 0
        while start < rawEnd {
            let end = min(rawEnd, start + Self.blockContent)
            frame.rawBlock(UnsafeRawBufferPointer(rebasing: input[start..<end]))
            start = end
        }
        // The second value, raw, and the third prefix: a match at the distance between prefixes.
        let sequence = SequenceCodes(literalLength: length, offset: stride)
        frame.block(last: false) { block in
            block.rawLiterals(UnsafeRawBufferPointer(rebasing: input[rawEnd..<(rawEnd + length)]))
            block.sequences(count: 1, sequence, repeated: false)
            return true
        }
        // The rest: values 2..<count, each with the prefix after it but the last.
        let perBlock = Self.blockContent / stride
        var next = 2
        while next < count {
            let end = min(count, next + perBlock)
            self.gather(input, values: next..<end, from: valuesAt + 4, stride: stride, length: length)
            let sequences = end == count ? end - next - 1 : end - next
            let weights = next == 2
            let packed = self.literals.withUnsafeBytes { all in
                let digits = UnsafeRawBufferPointer(rebasing: all[0..<((end - next) * length)])
                return frame.block(last: end == count) { block in
                    guard block.hexLiterals(digits, letters: letters, weights: weights) else { return false }
                    block.sequences(count: sequences, sequence, repeated: true)
                    return true
                }
            }
            guard packed else { return nil }
            next = end
        }
        return frame.failed ? nil : frame.position
    }

    /// Whether every value has `length` bytes and at most one in 32 starts as a recent one did. Identifiers
    /// that repeat (a request's lines) are left to ``ValueLiteralSequences``, which codes a value equal
    /// to a recent one as one match, where this frame spends its digits again.
    private mutating func onePrefixFewRepeats(
        _ input: UnsafeRawBufferPointer,
        valuesAt: Int,
        count: Int,
        length: Int
    ) -> Bool {
        if self.heads.count != Self.headSlots {
            self.heads = Array(repeating: 0, count: Self.headSlots)
        } else {
            self.heads.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        let stride = length + 4
        var repeats = 0
        return self.heads.withUnsafeMutableBufferPointer { heads in
            for index in 0..<count {
                let at = valuesAt + index * stride
                guard Int(UInt32(littleEndian: input.loadUnaligned(fromByteOffset: at, as: UInt32.self))) == length
                else { return false }
                let head = input.loadUnaligned(fromByteOffset: at + 4, as: UInt64.self)
                let slot = Int(truncatingIfNeeded: (head &* 0x9E37_79B9_7F4A_7C15) >> 52)
                if heads[slot] == head { repeats += 1 }
                heads[slot] = head
            }
            return repeats * 32 <= count
        }
    }

    /// The digits of `values` (their bytes, `stride` apart from `from`) into `literals`.
    private mutating func gather(
        _ input: UnsafeRawBufferPointer,
        values: Range<Int>,
        from: Int,
        stride: Int,
        length: Int
    ) {
        self.literals.growUninitialized(toCount: values.count * length, keeping: 0)
        self.literals.withUnsafeMutableBytes { literals in
            guard let destination = literals.baseAddress, let source = input.baseAddress else { return }
            for (slot, index) in values.enumerated() {
                (destination + slot * length).copyMemory(from: source + from + index * stride, byteCount: length)
            }
        }
    }
}

/// The codes of the one kind of sequence in a ``HexDigestFrame``: literals of a value's length, then a
/// 4-byte match at `offset` (RFC 8878 §3.1.1.3.2.1).
private struct SequenceCodes {
    var literalLengthCode: UInt8
    var literalLengthBits: Int
    var literalLengthExtra: UInt64
    var offsetCode: UInt8
    var offsetExtra: UInt64

    /// Match length 4: code 1, no extra bits.
    static var matchLengthCode: UInt8 { 1 }

    init(literalLength: Int, offset: Int) {
        let literal = Self.literalLength(literalLength)
        self.literalLengthCode = literal.code
        self.literalLengthBits = literal.bits
        self.literalLengthExtra = UInt64(literalLength - literal.baseline)
        // An offset is coded as `offset + 3` (1-3 are the repeat offsets): its top bit is the code, the
        // rest its extra bits.
        let value = offset + 3
        let code = BitWidth.forMaxValue(UInt64(value)) - 1
        self.offsetCode = UInt8(code)
        self.offsetExtra = UInt64(value - (1 << code))
    }

    /// Literal length codes 16-35: baselines and extra bits.
    private static let baselines = [16, 18, 20, 22, 24, 28, 32, 40, 48, 64, 128, 256, 512, 1024, 2048, 4096]
    private static let extraBits = [1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11, 12]

    private static func literalLength(_ length: Int) -> (code: UInt8, baseline: Int, bits: Int) {
        if length < 16 { return (UInt8(length), length, 0) }
        var index = Self.baselines.count - 1
        while Self.baselines[index] > length { index -= 1 }
        return (UInt8(16 + index), Self.baselines[index], Self.extraBits[index])
    }
}

/// Writes a zstd frame into a region, refusing (``failed``) to write past it.
private struct FrameWriter {
    let region: UnsafeMutableRawBufferPointer
    private(set) var position = 0
    private(set) var failed = false

    init(_ region: UnsafeMutableRawBufferPointer) { self.region = region }

    mutating func append(_ byte: UInt8) {
        guard self.position < self.region.count else {
            self.failed = true
            return
        }
        self.region[self.position] = byte
        self.position += 1
    }

    mutating func appendLittleEndian(_ value: UInt64, bytes: Int) {
        for index in 0..<bytes { self.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count <= self.region.count - self.position else {
            self.failed = true
            return
        }
        UnsafeMutableRawBufferPointer(rebasing: self.region[self.position...]).copyMemory(from: bytes)
        self.position += bytes.count
    }

    /// Magic number and a single-segment frame header with the content size, no checksum.
    mutating func header(contentSize: Int) {
        self.appendLittleEndian(0xFD2F_B528, bytes: 4)
        let singleSegment: UInt8 = 1 << 5
        if contentSize < 256 {
            self.append(singleSegment)
            self.append(UInt8(contentSize))
        } else if contentSize < 65536 + 256 {
            self.append(1 << 6 | singleSegment)
            self.appendLittleEndian(UInt64(contentSize - 256), bytes: 2)
        } else {
            self.append(2 << 6 | singleSegment)
            self.appendLittleEndian(UInt64(contentSize), bytes: 4)
        }
    }

    mutating func rawBlock(_ bytes: UnsafeRawBufferPointer) {
        self.appendLittleEndian(UInt64(bytes.count) << 3, bytes: 3)
        self.append(bytes)
    }

    /// A compressed block whose sections `body` writes; its header is filled in after. False when `body`
    /// gave up.
    @discardableResult
    mutating func block(last: Bool, _ body: (inout FrameWriter) -> Bool) -> Bool {
        let headerAt = self.position
        self.appendLittleEndian(0, bytes: 3)
        let start = self.position
        guard body(&self), !self.failed else { return false }
        let header = UInt32(self.position - start) << 3 | 2 << 1 | (last ? 1 : 0)
        for index in 0..<3 { self.region[headerAt + index] = UInt8(truncatingIfNeeded: header >> (8 * index)) }
        return true
    }

    /// A raw literals section.
    mutating func rawLiterals(_ bytes: UnsafeRawBufferPointer) {
        let size = bytes.count
        if size < 32 {
            self.append(UInt8(size << 3))
        } else if size < 4096 {
            self.appendLittleEndian(UInt64(size << 4 | 1 << 2), bytes: 2)
        } else {
            self.appendLittleEndian(UInt64(size << 4 | 3 << 2), bytes: 3)
        }
        self.append(bytes)
    }

    /// A Huffman-coded literals section of hex digits in four streams, with the digits' weights or
    /// reusing the previous block's (treeless); false when a byte is not a digit.
    mutating func hexLiterals(_ digits: UnsafeRawBufferPointer, letters: UInt8, weights: Bool) -> Bool {
        let regenerated = digits.count
        let segment = (regenerated + 3) / 4
        let segments = [segment, segment, segment, regenerated - 3 * segment]
        let streams = segments.map { $0 / 2 + 1 }
        // Weights of symbols 0 up to the last digit, which is implied: 1 for a digit, 0 for the rest.
        let lastSymbol = Int(letters) + 5
        let weightBytes = weights ? 1 + lastSymbol / 2 : 0
        let compressed = weightBytes + 6 + streams.reduce(0, +)
        let largest = max(regenerated, compressed)
        let type: UInt64 = weights ? 2 : 3
        if largest < 1024 {
            self.appendLittleEndian(type | 1 << 2 | UInt64(regenerated) << 4 | UInt64(compressed) << 14, bytes: 3)
        } else if largest < 16384 {
            self.appendLittleEndian(type | 2 << 2 | UInt64(regenerated) << 4 | UInt64(compressed) << 18, bytes: 4)
        } else {
            self.appendLittleEndian(type | 3 << 2 | UInt64(regenerated) << 4 | UInt64(compressed) << 22, bytes: 5)
        }
        if weights {
            self.append(UInt8(127 + lastSymbol))
            func weight(_ symbol: Int) -> UInt8 {
                (0x30...0x39).contains(symbol) || (Int(letters)..<lastSymbol).contains(symbol) ? 1 : 0
            }
            for pair in 0..<(lastSymbol / 2) { self.append(weight(2 * pair) << 4 | weight(2 * pair + 1)) }
        }
        for stream in streams.prefix(3) { self.appendLittleEndian(UInt64(stream), bytes: 2) }
        guard streams.reduce(0, +) <= self.region.count - self.position, let base = digits.baseAddress else {
            self.failed = true
            return false
        }
        var offset = 0
        for (index, count) in segments.enumerated() {
            let destination = self.region.baseAddress!.advanced(by: self.position).assumingMemoryBound(to: UInt8.self)
            let source = base.advanced(by: offset).assumingMemoryBound(to: UInt8.self)
            let written = laketap_hex_huffman_stream(source, count, letters, destination)
            guard written == streams[index] else { return false }
            self.position += written
            offset += count
        }
        return true
    }

    /// A sequences section of `count` copies of `codes`' sequence in RLE mode: with `repeated`, its match
    /// as repeat offset 1 (code 0, no extra bits), else at its offset.
    mutating func sequences(count: Int, _ codes: SequenceCodes, repeated: Bool) {
        if count < 128 {
            self.append(UInt8(count))
        } else if count < 0x7F00 {
            self.append(UInt8(count >> 8 + 128))
            self.append(UInt8(count & 0xFF))
        } else {
            self.append(255)
            self.appendLittleEndian(UInt64(count - 0x7F00), bytes: 2)
        }
        guard count > 0 else { return }
        self.append(1 << 6 | 1 << 4 | 1 << 2)
        self.append(codes.literalLengthCode)
        self.append(repeated ? 0 : codes.offsetCode)
        self.append(SequenceCodes.matchLengthCode)
        // Each sequence's extra bits, literal length then offset (the match length has none), read back
        // to front by the decoder; the states of RLE tables take no bits.
        let offsetBits = repeated ? 0 : Int(codes.offsetCode)
        let bits = codes.literalLengthBits + offsetBits
        let value = codes.literalLengthExtra | (repeated ? 0 : codes.offsetExtra << codes.literalLengthBits)
        var container: UInt64 = 0
        var held = 0
        for _ in 0..<count {
            container |= value << held
            held += bits
            while held >= 8 {
                self.append(UInt8(truncatingIfNeeded: container))
                container >>= 8
                held -= 8
            }
        }
        // The end mark, then zeros to the byte.
        container |= 1 << held
        held += 1
        while held > 0 {
            self.append(UInt8(truncatingIfNeeded: container))
            container >>= 8
            held -= 8
        }
    }
}
