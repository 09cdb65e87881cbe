/// Encodes the RLE / bit-packed hybrid (PARQUET.md §2.2): runs only, without the 4-byte length prefix that V1
/// level streams put in front (the caller adds it).
///
/// A run of at least 8 equal values becomes an RLE run; everything else is gathered into bit-packed runs of whole
/// groups of 8. Only the final bit-packed run is padded with zeros, so readers must stop at the value count they
/// expect, as the format requires.
///
/// Use the streaming form (``append(_:)``, ``append(repeating:count:)``, ``finish(into:)``) when values arrive
/// one by one, and the static `encode` functions when they are already in a buffer: those find runs with 64-bit
/// comparisons and never copy values that end up in RLE runs.
struct RLEBitPackedHybridEncoder {
    /// Bits per value, 0...32.
    let bitWidth: Int
    /// Runs emitted so far.
    private var output: [UInt8] = []
    /// Values waiting to be bit-packed; they precede the current run.
    private var literal: [UInt32] = []
    /// The current run of equal values, not yet assigned to RLE or to `literal`.
    private var runValue: UInt32 = 0
    private var runCount = 0

    /// The longest run a single header may describe (PARQUET.md §2.2: run lengths ≤ 2³¹−1).
    static let maximumRunLength = Int(Int32.max)
    /// Bit-packed runs are split so that they hold at most this many groups of 8.
    static let maximumGroupsPerRun = 1 << 20
    /// Literal values kept before the whole groups among them are flushed as a bit-packed run.
    private static let literalFlushThreshold = 4096

    /// Creates an encoder for values of `bitWidth` bits (0...32). Values are masked to that width.
    init(bitWidth: Int) {
        precondition((0...32).contains(bitWidth), "RLE bit width \(bitWidth) is outside 0...32")
        self.bitWidth = bitWidth
    }

    /// Appends one value.
    mutating func append(_ value: UInt32) {
        if self.runCount > 0 && value == self.runValue {
            self.runCount += 1
        } else {
            self.flushRun()
            self.runValue = value
            self.runCount = 1
        }
    }

    /// Appends `count` copies of `value` in constant time (unless they end up bit-packed, which needs < 16 values).
    mutating func append(repeating value: UInt32, count: Int) {
        guard count > 0 else { return }
        if self.runCount > 0 && value == self.runValue {
            self.runCount += count
        } else {
            self.flushRun()
            self.runValue = value
            self.runCount = count
        }
    }

    /// Appends all runs to `output` and resets the encoder for reuse (keeping its buffers).
    mutating func finish(into output: inout [UInt8]) {
        self.flushRun()
        if !self.literal.isEmpty {
            self.literal.withUnsafeBufferPointer { values in
                Self.emitBitPacked(values, bitWidth: self.bitWidth, into: &self.output)
            }
            self.literal.removeAll(keepingCapacity: true)
        }
        output.append(contentsOf: self.output)
        self.output.removeAll(keepingCapacity: true)
    }

    /// Decides the fate of the current run: RLE if it is long enough once it has padded the literal values to a
    /// whole number of groups, otherwise more literal values.
    private mutating func flushRun() {
        guard self.runCount > 0 else { return }
        let pad = (8 &- (self.literal.count & 7)) & 7
        if self.runCount >= pad + 8 {
            for _ in 0..<pad { self.literal.append(self.runValue) }
            if !self.literal.isEmpty {
                self.literal.withUnsafeBufferPointer { values in
                    Self.emitBitPacked(values, bitWidth: self.bitWidth, into: &self.output)
                }
                self.literal.removeAll(keepingCapacity: true)
            }
            Self.emitRLE(self.runValue, count: self.runCount - pad, bitWidth: self.bitWidth, into: &self.output)
        } else {
            for _ in 0..<self.runCount { self.literal.append(self.runValue) }
            if self.literal.count >= Self.literalFlushThreshold {
                let whole = self.literal.count & ~7
                self.literal.withUnsafeBufferPointer { values in
                    Self.emitBitPacked(
                        UnsafeBufferPointer(rebasing: values[0..<whole]),
                        bitWidth: self.bitWidth,
                        into: &self.output
                    )
                }
                self.literal.removeFirst(whole)
            }
        }
        self.runCount = 0
    }
}

extension RLEBitPackedHybridEncoder {
    /// Encodes levels (each < 2^bitWidth) as hybrid runs appended to `output`.
    static func encode(_ values: UnsafeBufferPointer<UInt8>, bitWidth: Int, into output: inout [UInt8]) {
        self.encodeBuffer(values, bitWidth: bitWidth, into: &output)
    }

    /// Encodes dictionary indices (each < 2^bitWidth) as hybrid runs appended to `output`.
    static func encode(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into output: inout [UInt8]) {
        self.encodeBuffer(values, bitWidth: bitWidth, into: &output)
    }

    @inline(__always)
    private static func encodeBuffer<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<T>,
        bitWidth: Int,
        into output: inout [UInt8]
    ) {
        precondition((0...32).contains(bitWidth), "RLE bit width \(bitWidth) is outside 0...32")
        guard let base = values.baseAddress, !values.isEmpty else { return }
        let count = values.count
        output.reserveCapacity(output.count + (count &* bitWidth + 7) / 8 + 16)
        // Walk whole groups of 8 from the start of the pending literal values. A group whose 8 values are equal
        // starts an RLE run (extended as far as the value repeats); the literal values before it are then a whole
        // number of groups. This emits the same runs as the streaming encoder, with one word compare per group.
        var literalStart = 0
        var group = 0
        while group &+ 8 <= count {
            guard self.isUniformGroup(base + group) else {
                group &+= 8
                continue
            }
            if group > literalStart {
                let literal = UnsafeBufferPointer(start: base + literalStart, count: group - literalStart)
                self.emitBitPacked(literal, bitWidth: bitWidth, into: &output)
            }
            let end = self.runEnd(base, count: count, from: group &+ 7)
            self.emitRLE(UInt32(truncatingIfNeeded: base[group]), count: end - group, bitWidth: bitWidth, into: &output)
            literalStart = end
            group = end
        }
        if literalStart < count {
            let literal = UnsafeBufferPointer(start: base + literalStart, count: count - literalStart)
            self.emitBitPacked(literal, bitWidth: bitWidth, into: &output)
        }
    }

    /// Whether the 8 values at `values` are all equal, compared a 64-bit word at a time.
    @inline(__always)
    private static func isUniformGroup<T: FixedWidthInteger & UnsignedInteger>(_ values: UnsafePointer<T>) -> Bool {
        let raw = UnsafeRawPointer(values)
        let words = MemoryLayout<T>.size
        let first = UInt64(values[0])
        var pattern: UInt64 = 0
        for lane in 0..<(8 / words) { pattern |= first &<< UInt64(lane &* T.bitWidth) }
        var difference: UInt64 = 0
        for word in 0..<words {
            difference |= UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: word &* 8, as: UInt64.self)) ^ pattern
        }
        return difference == 0
    }

    /// The index of the first value after `start` that differs from `values[start]`, comparing 64 bits at a time.
    @inline(__always)
    private static func runEnd<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafePointer<T>,
        count: Int,
        from start: Int
    ) -> Int {
        let value = values[start]
        var index = start + 1
        let lanes = 8 / MemoryLayout<T>.size
        if lanes > 1 {
            // Broadcast the value into every lane of a word; the first differing lane is the lowest non-zero
            // byte of the XOR (words are read as little-endian).
            var pattern: UInt64 = 0
            for lane in 0..<lanes { pattern |= UInt64(value) &<< UInt64(lane &* T.bitWidth) }
            let raw = UnsafeRawPointer(values)
            while index &+ lanes <= count {
                let word = UInt64(
                    littleEndian: raw.loadUnaligned(fromByteOffset: index &* MemoryLayout<T>.size, as: UInt64.self)
                )
                let difference = word ^ pattern
                if difference != 0 {
                    return index &+ difference.trailingZeroBitCount / T.bitWidth
                }
                index &+= lanes
            }
        }
        while index < count && values[index] == value { index &+= 1 }
        return index
    }

    /// Appends RLE runs for `count` copies of `value`, splitting runs longer than ``maximumRunLength``.
    static func emitRLE(_ value: UInt32, count: Int, bitWidth: Int, into output: inout [UInt8]) {
        var remaining = count
        let valueBytes = (bitWidth + 7) / 8
        let masked = bitWidth == 32 ? value : value & ((1 << UInt32(bitWidth)) &- 1)
        while remaining > 0 {
            let run = min(remaining, self.maximumRunLength)
            output.appendVarint(UInt64(run) << 1)
            for byte in 0..<valueBytes {
                output.append(UInt8(truncatingIfNeeded: masked >> UInt32(byte &* 8)))
            }
            remaining -= run
        }
    }

    /// Appends bit-packed runs holding `values`; a trailing partial group is padded with zeros.
    static func emitBitPacked<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<T>,
        bitWidth: Int,
        into output: inout [UInt8]
    ) {
        guard let base = values.baseAddress else { return }
        var start = 0
        while start < values.count {
            let count = min(values.count - start, self.maximumGroupsPerRun &* 8)
            let groups = (count + 7) / 8
            let fullGroups = count / 8
            output.appendVarint(UInt64(groups) << 1 | 1)
            let offset = output.count
            let byteCount = groups &* bitWidth
            output.append(contentsOf: repeatElement(0, count: byteCount + BitPacking.packSlack))
            output.withUnsafeMutableBytes { buffer in
                // The buffer was just grown by `byteCount + packSlack` bytes, so it has a base address.
                guard let destination = buffer.baseAddress?.advanced(by: offset) else { return }
                BitPacking.pack(base + start, groups: fullGroups, width: bitWidth, into: destination)
                let tail = count &- fullGroups &* 8
                if tail > 0 {
                    var group: (T, T, T, T, T, T, T, T) = (0, 0, 0, 0, 0, 0, 0, 0)
                    withUnsafeMutableBytes(of: &group) { scratch in
                        let lanes = scratch.bindMemory(to: T.self)
                        for lane in 0..<tail { lanes[lane] = base[start &+ fullGroups &* 8 &+ lane] }
                        if let lanesBase = lanes.baseAddress {
                            BitPacking.pack(
                                UnsafePointer(lanesBase),
                                groups: 1,
                                width: bitWidth,
                                into: destination + fullGroups &* bitWidth
                            )
                        }
                    }
                }
            }
            output.removeLast(BitPacking.packSlack)
            start += count
        }
    }
}
