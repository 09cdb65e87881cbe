/// LSB-first bit packing of groups of 8 values, shared by the RLE/bit-packed hybrid and DELTA_BINARY_PACKED
/// (PARQUET.md §2.2, §2.4).
///
/// A group of 8 values of width `w` occupies exactly `w` bytes, so groups start on byte boundaries. Each width
/// gets its own copy of the group loop (the `switch` below passes a literal width into an always-inlined
/// function), which lets the optimiser unroll the 8 values and turn every shift and offset into a constant.
enum BitPacking {
    /// Extra bytes after the packed data that ``pack(_:groups:width:into:)`` may overwrite.
    static let packSlack = 8

    /// Packs `groups * 8` values from `source` into `groups * width` bytes at `destination`.
    ///
    /// Values are masked to `width` bits. `destination` must be writable for `groups * width + packSlack`
    /// bytes: each group is stored with whole 64-bit words and the slack bytes receive garbage.
    static func pack<T: FixedWidthInteger & UnsignedInteger>(
        _ source: UnsafePointer<T>,
        groups: Int,
        width: Int,
        into destination: UnsafeMutableRawPointer
    ) {
        switch width {
        case 0: return
        case 1: packGroups(source, groups, destination, width: 1)
        case 2: packGroups(source, groups, destination, width: 2)
        case 3: packGroups(source, groups, destination, width: 3)
        case 4: packGroups(source, groups, destination, width: 4)
        case 5: packGroups(source, groups, destination, width: 5)
        case 6: packGroups(source, groups, destination, width: 6)
        case 7: packGroups(source, groups, destination, width: 7)
        case 8: packGroups(source, groups, destination, width: 8)
        case 9: packGroups(source, groups, destination, width: 9)
        case 10: packGroups(source, groups, destination, width: 10)
        case 11: packGroups(source, groups, destination, width: 11)
        case 12: packGroups(source, groups, destination, width: 12)
        case 13: packGroups(source, groups, destination, width: 13)
        case 14: packGroups(source, groups, destination, width: 14)
        case 15: packGroups(source, groups, destination, width: 15)
        case 16: packGroups(source, groups, destination, width: 16)
        case 17: packGroups(source, groups, destination, width: 17)
        case 18: packGroups(source, groups, destination, width: 18)
        case 19: packGroups(source, groups, destination, width: 19)
        case 20: packGroups(source, groups, destination, width: 20)
        case 21: packGroups(source, groups, destination, width: 21)
        case 22: packGroups(source, groups, destination, width: 22)
        case 23: packGroups(source, groups, destination, width: 23)
        case 24: packGroups(source, groups, destination, width: 24)
        case 25: packGroups(source, groups, destination, width: 25)
        case 26: packGroups(source, groups, destination, width: 26)
        case 27: packGroups(source, groups, destination, width: 27)
        case 28: packGroups(source, groups, destination, width: 28)
        case 29: packGroups(source, groups, destination, width: 29)
        case 30: packGroups(source, groups, destination, width: 30)
        case 31: packGroups(source, groups, destination, width: 31)
        case 32: packGroups(source, groups, destination, width: 32)
        case 33: packGroups(source, groups, destination, width: 33)
        case 34: packGroups(source, groups, destination, width: 34)
        case 35: packGroups(source, groups, destination, width: 35)
        case 36: packGroups(source, groups, destination, width: 36)
        case 37: packGroups(source, groups, destination, width: 37)
        case 38: packGroups(source, groups, destination, width: 38)
        case 39: packGroups(source, groups, destination, width: 39)
        case 40: packGroups(source, groups, destination, width: 40)
        case 41: packGroups(source, groups, destination, width: 41)
        case 42: packGroups(source, groups, destination, width: 42)
        case 43: packGroups(source, groups, destination, width: 43)
        case 44: packGroups(source, groups, destination, width: 44)
        case 45: packGroups(source, groups, destination, width: 45)
        case 46: packGroups(source, groups, destination, width: 46)
        case 47: packGroups(source, groups, destination, width: 47)
        case 48: packGroups(source, groups, destination, width: 48)
        case 49: packGroups(source, groups, destination, width: 49)
        case 50: packGroups(source, groups, destination, width: 50)
        case 51: packGroups(source, groups, destination, width: 51)
        case 52: packGroups(source, groups, destination, width: 52)
        case 53: packGroups(source, groups, destination, width: 53)
        case 54: packGroups(source, groups, destination, width: 54)
        case 55: packGroups(source, groups, destination, width: 55)
        case 56: packGroups(source, groups, destination, width: 56)
        case 57: packGroups(source, groups, destination, width: 57)
        case 58: packGroups(source, groups, destination, width: 58)
        case 59: packGroups(source, groups, destination, width: 59)
        case 60: packGroups(source, groups, destination, width: 60)
        case 61: packGroups(source, groups, destination, width: 61)
        case 62: packGroups(source, groups, destination, width: 62)
        case 63: packGroups(source, groups, destination, width: 63)
        case 64: packGroups(source, groups, destination, width: 64)
        default: preconditionFailure("bit width \(width) is outside 0...64")
        }
    }

    /// Unpacks `groups * 8` values of `width` bits from `source` into `destination`.
    ///
    /// `byteCount` is the number of readable bytes at `source`; it may be less than `groups * width`, in which
    /// case the missing bytes read as zero (writers may truncate the last group of a page).
    static func unpack<T: FixedWidthInteger & UnsignedInteger>(
        _ source: UnsafeRawPointer,
        byteCount: Int,
        groups: Int,
        width: Int,
        into destination: UnsafeMutablePointer<T>
    ) {
        switch width {
        case 0: destination.update(repeating: 0, count: groups &* 8)
        case 1: unpackGroups(source, byteCount, groups, destination, width: 1)
        case 2: unpackGroups(source, byteCount, groups, destination, width: 2)
        case 3: unpackGroups(source, byteCount, groups, destination, width: 3)
        case 4: unpackGroups(source, byteCount, groups, destination, width: 4)
        case 5: unpackGroups(source, byteCount, groups, destination, width: 5)
        case 6: unpackGroups(source, byteCount, groups, destination, width: 6)
        case 7: unpackGroups(source, byteCount, groups, destination, width: 7)
        case 8: unpackGroups(source, byteCount, groups, destination, width: 8)
        case 9: unpackGroups(source, byteCount, groups, destination, width: 9)
        case 10: unpackGroups(source, byteCount, groups, destination, width: 10)
        case 11: unpackGroups(source, byteCount, groups, destination, width: 11)
        case 12: unpackGroups(source, byteCount, groups, destination, width: 12)
        case 13: unpackGroups(source, byteCount, groups, destination, width: 13)
        case 14: unpackGroups(source, byteCount, groups, destination, width: 14)
        case 15: unpackGroups(source, byteCount, groups, destination, width: 15)
        case 16: unpackGroups(source, byteCount, groups, destination, width: 16)
        case 17: unpackGroups(source, byteCount, groups, destination, width: 17)
        case 18: unpackGroups(source, byteCount, groups, destination, width: 18)
        case 19: unpackGroups(source, byteCount, groups, destination, width: 19)
        case 20: unpackGroups(source, byteCount, groups, destination, width: 20)
        case 21: unpackGroups(source, byteCount, groups, destination, width: 21)
        case 22: unpackGroups(source, byteCount, groups, destination, width: 22)
        case 23: unpackGroups(source, byteCount, groups, destination, width: 23)
        case 24: unpackGroups(source, byteCount, groups, destination, width: 24)
        case 25: unpackGroups(source, byteCount, groups, destination, width: 25)
        case 26: unpackGroups(source, byteCount, groups, destination, width: 26)
        case 27: unpackGroups(source, byteCount, groups, destination, width: 27)
        case 28: unpackGroups(source, byteCount, groups, destination, width: 28)
        case 29: unpackGroups(source, byteCount, groups, destination, width: 29)
        case 30: unpackGroups(source, byteCount, groups, destination, width: 30)
        case 31: unpackGroups(source, byteCount, groups, destination, width: 31)
        case 32: unpackGroups(source, byteCount, groups, destination, width: 32)
        case 33: unpackGroups(source, byteCount, groups, destination, width: 33)
        case 34: unpackGroups(source, byteCount, groups, destination, width: 34)
        case 35: unpackGroups(source, byteCount, groups, destination, width: 35)
        case 36: unpackGroups(source, byteCount, groups, destination, width: 36)
        case 37: unpackGroups(source, byteCount, groups, destination, width: 37)
        case 38: unpackGroups(source, byteCount, groups, destination, width: 38)
        case 39: unpackGroups(source, byteCount, groups, destination, width: 39)
        case 40: unpackGroups(source, byteCount, groups, destination, width: 40)
        case 41: unpackGroups(source, byteCount, groups, destination, width: 41)
        case 42: unpackGroups(source, byteCount, groups, destination, width: 42)
        case 43: unpackGroups(source, byteCount, groups, destination, width: 43)
        case 44: unpackGroups(source, byteCount, groups, destination, width: 44)
        case 45: unpackGroups(source, byteCount, groups, destination, width: 45)
        case 46: unpackGroups(source, byteCount, groups, destination, width: 46)
        case 47: unpackGroups(source, byteCount, groups, destination, width: 47)
        case 48: unpackGroups(source, byteCount, groups, destination, width: 48)
        case 49: unpackGroups(source, byteCount, groups, destination, width: 49)
        case 50: unpackGroups(source, byteCount, groups, destination, width: 50)
        case 51: unpackGroups(source, byteCount, groups, destination, width: 51)
        case 52: unpackGroups(source, byteCount, groups, destination, width: 52)
        case 53: unpackGroups(source, byteCount, groups, destination, width: 53)
        case 54: unpackGroups(source, byteCount, groups, destination, width: 54)
        case 55: unpackGroups(source, byteCount, groups, destination, width: 55)
        case 56: unpackGroups(source, byteCount, groups, destination, width: 56)
        case 57: unpackGroups(source, byteCount, groups, destination, width: 57)
        case 58: unpackGroups(source, byteCount, groups, destination, width: 58)
        case 59: unpackGroups(source, byteCount, groups, destination, width: 59)
        case 60: unpackGroups(source, byteCount, groups, destination, width: 60)
        case 61: unpackGroups(source, byteCount, groups, destination, width: 61)
        case 62: unpackGroups(source, byteCount, groups, destination, width: 62)
        case 63: unpackGroups(source, byteCount, groups, destination, width: 63)
        case 64: unpackGroups(source, byteCount, groups, destination, width: 64)
        default: preconditionFailure("bit width \(width) is outside 0...64")
        }
    }

    @inline(__always)
    private static func mask(_ width: Int) -> UInt64 {
        width >= 64 ? ~0 : (1 &<< UInt64(width)) &- 1
    }

    @inline(__always)
    private static func packGroups<T: FixedWidthInteger & UnsignedInteger>(
        _ source: UnsafePointer<T>,
        _ groups: Int,
        _ destination: UnsafeMutableRawPointer,
        width: Int
    ) {
        if width == 1 && MemoryLayout<T>.size == 1 {
            // Eight one-bit levels, a byte each, into one byte: the multiply moves byte i's low bit to bit
            // 56 + i, and no other product reaches bits 56–63 (checked for all 256 inputs in the tests).
            let bytes = UnsafeRawPointer(source)
            for group in 0..<groups {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: group &* 8, as: UInt64.self))
                let packed = ((word & 0x0101_0101_0101_0101) &* 0x0102_0408_1020_4080) &>> 56
                destination.storeBytes(of: UInt8(truncatingIfNeeded: packed), toByteOffset: group, as: UInt8.self)
            }
            return
        }
        if (2...4).contains(width) && MemoryLayout<T>.size == 1 {
            // Levels of two to four bits, a byte each: neighbours are merged in three steps, pairs into
            // 16-bit lanes, those into 32-bit lanes, then the two halves, and the word is stored whole.
            let bits = UInt64(width)
            let lanes8: UInt64 = ((1 &<< bits) &- 1) &* 0x0101_0101_0101_0101
            let lanes16: UInt64 = ((1 &<< (2 &* bits)) &- 1) &* 0x0001_0001_0001_0001
            let lanes32: UInt64 = ((1 &<< (4 &* bits)) &- 1) &* 0x0000_0001_0000_0001
            let bytes = UnsafeRawPointer(source)
            for group in 0..<groups {
                var word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: group &* 8, as: UInt64.self))
                word &= lanes8
                word = (word | word &>> (8 &- bits)) & lanes16
                word = (word | word &>> (16 &- 2 &* bits)) & lanes32
                word = (word | word &>> (32 &- 4 &* bits)) & ((1 &<< (8 &* bits)) &- 1)
                destination.storeBytes(of: word.littleEndian, toByteOffset: group &* width, as: UInt64.self)
            }
            return
        }
        var input = source
        var output = destination
        for _ in 0..<groups {
            packGroup(input, output, width: width)
            input += 8
            output += width
        }
    }

    @inline(__always)
    private static func packGroup<T: FixedWidthInteger & UnsignedInteger>(
        _ source: UnsafePointer<T>,
        _ destination: UnsafeMutableRawPointer,
        width: Int
    ) {
        let mask = mask(width)
        var word: UInt64 = 0
        var used = 0
        var offset = 0
        for index in 0..<8 {
            let value = UInt64(truncatingIfNeeded: source[index]) & mask
            word |= value &<< UInt64(used)
            used += width
            if used >= 64 {
                destination.storeBytes(of: word.littleEndian, toByteOffset: offset, as: UInt64.self)
                offset += 8
                used -= 64
                word = used == 0 ? 0 : value &>> UInt64(width - used)
            }
        }
        if used > 0 {
            destination.storeBytes(of: word.littleEndian, toByteOffset: offset, as: UInt64.self)
        }
    }

    @inline(__always)
    private static func unpackGroups<T: FixedWidthInteger & UnsignedInteger>(
        _ source: UnsafeRawPointer,
        _ byteCount: Int,
        _ groups: Int,
        _ destination: UnsafeMutablePointer<T>,
        width: Int
    ) {
        // A group reads at most `width + 9` bytes from its start; groups that could read past the end are copied
        // into a zero-padded scratch buffer first.
        let fastGroups = max(0, min(groups, (byteCount - 9) / width))
        var input = source
        var output = destination
        for _ in 0..<fastGroups {
            unpackGroup(input, output, width: width)
            input += width
            output += 8
        }
        if fastGroups < groups {
            withUnsafeTemporaryAllocation(byteCount: 80, alignment: 8) { scratch in
                guard let base = scratch.baseAddress else { return }
                var consumed = fastGroups &* width
                for _ in fastGroups..<groups {
                    scratch.initializeMemory(as: UInt8.self, repeating: 0)
                    let available = min(width, max(0, byteCount - consumed))
                    if available > 0 {
                        base.copyMemory(from: source + consumed, byteCount: available)
                    }
                    unpackGroup(UnsafeRawPointer(base), output, width: width)
                    consumed += width
                    output += 8
                }
            }
        }
    }

    @inline(__always)
    private static func unpackGroup<T: FixedWidthInteger & UnsignedInteger>(
        _ source: UnsafeRawPointer,
        _ destination: UnsafeMutablePointer<T>,
        width: Int
    ) {
        let mask = mask(width)
        for index in 0..<8 {
            let bit = index &* width
            let byte = bit &>> 3
            let shift = bit & 7
            let word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
            var value = word &>> UInt64(shift)
            if shift + width > 64 {
                let next = UInt64(source.load(fromByteOffset: byte + 8, as: UInt8.self))
                value |= next &<< UInt64(64 - shift)
            }
            destination[index] = T(truncatingIfNeeded: value & mask)
        }
    }
}
