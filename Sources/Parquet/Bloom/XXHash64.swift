/// XXH64 (`Cyan4973/xxHash`), the hash Parquet bloom filters use, in pure Swift.
///
/// Buffers are read in 32-byte stripes with unaligned little-endian loads. The integer overloads hash the value's
/// little-endian bytes without a buffer, which is what a bloom filter needs for INT32, INT64, FLOAT and DOUBLE.
enum XXHash64 {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    /// The XXH64 of `bytes`.
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let count = bytes.count
        var offset = 0
        var hash: UInt64
        if count >= 32 {
            var accumulator1 = seed &+ prime1 &+ prime2
            var accumulator2 = seed &+ prime2
            var accumulator3 = seed
            var accumulator4 = seed &- prime1
            let lastStripe = count - 32
            while offset <= lastStripe {
                accumulator1 = round(accumulator1, load64(bytes, offset))
                accumulator2 = round(accumulator2, load64(bytes, offset + 8))
                accumulator3 = round(accumulator3, load64(bytes, offset + 16))
                accumulator4 = round(accumulator4, load64(bytes, offset + 24))
                offset += 32
            }
            hash =
                accumulator1.rotated(left: 1) &+ accumulator2.rotated(left: 7)
                &+ accumulator3.rotated(left: 12) &+ accumulator4.rotated(left: 18)
            hash = merge(hash, accumulator1)
            hash = merge(hash, accumulator2)
            hash = merge(hash, accumulator3)
            hash = merge(hash, accumulator4)
        } else {
            hash = seed &+ prime5
        }
        hash &+= UInt64(truncatingIfNeeded: count)

        while count - offset >= 8 {
            hash = mix8(hash, load64(bytes, offset))
            offset += 8
        }
        if count - offset >= 4 {
            hash = mix4(hash, UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            offset += 4
        }
        while offset < count {
            hash ^= UInt64(bytes[offset]) &* prime5
            hash = hash.rotated(left: 11) &* prime1
            offset += 1
        }
        return avalanche(hash)
    }

    /// The XXH64 of the four little-endian bytes of `value`.
    @inline(__always)
    static func hash(_ value: UInt32, seed: UInt64 = 0) -> UInt64 {
        avalanche(mix4(seed &+ prime5 &+ 4, value))
    }

    /// The XXH64 of the eight little-endian bytes of `value`.
    @inline(__always)
    static func hash(_ value: UInt64, seed: UInt64 = 0) -> UInt64 {
        avalanche(mix8(seed &+ prime5 &+ 8, value))
    }

    @inline(__always)
    private static func load64(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    private static func round(_ accumulator: UInt64, _ lane: UInt64) -> UInt64 {
        (accumulator &+ lane &* prime2).rotated(left: 31) &* prime1
    }

    @inline(__always)
    private static func merge(_ hash: UInt64, _ accumulator: UInt64) -> UInt64 {
        (hash ^ round(0, accumulator)) &* prime1 &+ prime4
    }

    @inline(__always)
    private static func mix8(_ hash: UInt64, _ lane: UInt64) -> UInt64 {
        (hash ^ round(0, lane)).rotated(left: 27) &* prime1 &+ prime4
    }

    @inline(__always)
    private static func mix4(_ hash: UInt64, _ lane: UInt32) -> UInt64 {
        (hash ^ (UInt64(lane) &* prime1)).rotated(left: 23) &* prime2 &+ prime3
    }

    @inline(__always)
    private static func avalanche(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 33
        hash &*= prime2
        hash ^= hash >> 29
        hash &*= prime3
        hash ^= hash >> 32
        return hash
    }
}

extension UInt64 {
    /// The value rotated left by `count` bits (`0 < count < 64`).
    @inline(__always)
    fileprivate func rotated(left count: UInt64) -> UInt64 {
        (self &<< count) | (self &>> (64 &- count))
    }
}
