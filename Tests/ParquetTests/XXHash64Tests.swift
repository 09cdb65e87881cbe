import Testing

@testable import Parquet

@Suite struct XXHash64Tests {
    /// PARQUET.md §5.3.
    static let vectors: [(bytes: [UInt8], hash: UInt64)] = [
        ([], 0xef46_db37_51d8_e999),
        (Array("hello".utf8), 0x26c7_827d_889f_6da3),
        (Array("parquet".utf8), 0x3c9d_2927_5c52_e429),
        ([0x01, 0x00, 0x00, 0x00], 0xf42f_9400_1fcb_5351),
    ]

    @Test(arguments: vectors)
    func matchesParquetVectors(_ bytes: [UInt8], _ expected: UInt64) {
        #expect(bytes.withUnsafeBytes { XXHash64.hash($0) } == expected)
    }

    @Test func integerOverloadsHashLittleEndianBytes() {
        #expect(XXHash64.hash(UInt32(1)) == 0xf42f_9400_1fcb_5351)
        for value: UInt32 in [0, 1, 42, 0xdead_beef, .max] {
            #expect(XXHash64.hash(value) == withUnsafeBytes(of: value.littleEndian) { XXHash64.hash($0) })
            let seeded = withUnsafeBytes(of: value.littleEndian) { XXHash64.hash($0, seed: 99) }
            #expect(XXHash64.hash(value, seed: 99) == seeded)
        }
        for value: UInt64 in [0, 1, 42, 0x0123_4567_89ab_cdef, .max] {
            #expect(XXHash64.hash(value) == withUnsafeBytes(of: value.littleEndian) { XXHash64.hash($0) })
            let seeded = withUnsafeBytes(of: value.littleEndian) { XXHash64.hash($0, seed: 7) }
            #expect(XXHash64.hash(value, seed: 7) == seeded)
        }
    }

    /// Every length from 0 to 100 crosses each tail path (bytes, 4, 8) and the 32-byte stripe loop; the
    /// reference is a byte-at-a-time transcription of the specification.
    @Test func lengthsZeroToHundredMatchTheReference() {
        var bytes: [UInt8] = []
        for index in 0..<100 {
            bytes.append(UInt8(truncatingIfNeeded: index &* 167 &+ 13))
        }
        for length in 0...100 {
            let prefix = Array(bytes.prefix(length))
            for seed: UInt64 in [0, 1, 0x9E37_79B9_7F4A_7C15] {
                let hash = prefix.withUnsafeBytes { XXHash64.hash($0, seed: seed) }
                #expect(hash == Self.reference(prefix, seed: seed), "length \(length) seed \(seed)")
            }
        }
    }

    @Test func unalignedBuffersHashTheSame() {
        let bytes = (0..<80).map { UInt8($0) }
        let aligned = Array(bytes[1...])
        let expected = aligned.withUnsafeBytes { XXHash64.hash($0) }
        let unaligned = bytes.withUnsafeBytes { XXHash64.hash(UnsafeRawBufferPointer(rebasing: $0[1...])) }
        #expect(unaligned == expected)
    }

    // MARK: - Reference

    static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
    static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

    static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    static func read(_ bytes: [UInt8], _ at: Int, _ count: Int) -> UInt64 {
        (0..<count).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
    }

    static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 { rotl(acc &+ input &* p2, 31) &* p1 }

    static func reference(_ bytes: [UInt8], seed: UInt64) -> UInt64 {
        var i = 0
        var h: UInt64
        if bytes.count >= 32 {
            var v = [seed &+ p1 &+ p2, seed &+ p2, seed, seed &- p1]
            while i + 32 <= bytes.count {
                for lane in 0..<4 { v[lane] = round(v[lane], read(bytes, i + 8 * lane, 8)) }
                i += 32
            }
            h = rotl(v[0], 1) &+ rotl(v[1], 7) &+ rotl(v[2], 12) &+ rotl(v[3], 18)
            for lane in 0..<4 { h = (h ^ round(0, v[lane])) &* p1 &+ p4 }
        } else {
            h = seed &+ p5
        }
        h &+= UInt64(bytes.count)
        while i + 8 <= bytes.count {
            h = rotl(h ^ round(0, read(bytes, i, 8)), 27) &* p1 &+ p4
            i += 8
        }
        if i + 4 <= bytes.count {
            h = rotl(h ^ (read(bytes, i, 4) &* p1), 23) &* p2 &+ p3
            i += 4
        }
        while i < bytes.count {
            h = rotl(h ^ (UInt64(bytes[i]) &* p5), 11) &* p1
            i += 1
        }
        h ^= h >> 33
        h &*= p2
        h ^= h >> 29
        h &*= p3
        h ^= h >> 32
        return h
    }
}
