#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Parquet's split-block bloom filter (`apache/parquet-format:BloomFilter.md`).
///
/// The bitset is z blocks of 32 bytes, each eight little-endian `UInt32` words. A value's XXH64 hash picks a
/// block from its upper 32 bits and sets one bit in each of the block's eight words from its lower 32 bits. Blocks
/// are kept as `SIMD8<UInt32>` so that an insert or a lookup touches one 32-byte vector.
///
/// ```swift
/// var filter = SplitBlockBloomFilter(
///     byteCount: SplitBlockBloomFilter.optimalByteCount(distinctValues: 10_000, falsePositiveProbability: 0.01)
/// )
/// filter.insert(hash: XXHash64.hash(UInt32(42)))
/// filter.mightContain(hash: XXHash64.hash(UInt32(42)))   // true
/// ```
struct SplitBlockBloomFilter: Sendable {
    /// The smallest bitset, one block (arrow-rs `BITSET_MIN_LENGTH`).
    static let minimumBytes = 32
    /// The largest bitset (arrow-rs `BITSET_MAX_LENGTH`).
    static let maximumBytes = 128 * 1024 * 1024

    /// The bytes of one block.
    private static let blockBytes = 32

    private var blocks: [SIMD8<UInt32>]

    /// The bitset size for `distinctValues` values at `falsePositiveProbability`.
    ///
    /// Computes bits = −8·ndv / ln(1 − fpp^(1/8)), rounds the bytes up to a power of two and clamps them to
    /// ``minimumBytes``...``maximumBytes``. A probability of 1 or more gives the minimum; 0 or less (or NaN), the
    /// maximum.
    static func optimalByteCount(distinctValues: Int, falsePositiveProbability: Double) -> Int {
        guard distinctValues > 0, falsePositiveProbability < 1 else { return minimumBytes }
        guard falsePositiveProbability > 0 else { return maximumBytes }
        let bits = -8 * Double(distinctValues) / log1p(-pow(falsePositiveProbability, 1.0 / 8.0))
        let bytes = (bits / 8).rounded(.up)
        guard bytes.isFinite, bytes < Double(maximumBytes) else { return maximumBytes }
        let wanted = max(Int(bytes), minimumBytes)
        // Round up to a power of two; `wanted` is below 2^27 here, so the shift cannot overflow.
        let rounded = wanted.nonzeroBitCount == 1 ? wanted : 1 << (Int.bitWidth - wanted.leadingZeroBitCount)
        return min(rounded, maximumBytes)
    }

    /// An empty filter of `byteCount` bytes, a power of two in ``minimumBytes``...``maximumBytes``.
    init(byteCount: Int) {
        precondition(
            byteCount >= Self.minimumBytes && byteCount <= Self.maximumBytes && byteCount.nonzeroBitCount == 1,
            "bloom filter size must be a power of two in 32...128 MiB"
        )
        self.blocks = Array(repeating: SIMD8(repeating: 0), count: byteCount / Self.blockBytes)
    }

    /// A filter read from a file: `bitset` is the bytes after the `BloomFilterHeader`.
    ///
    /// - Throws: ``ParquetError/Code/corrupt`` when the size is not a multiple of 32 bytes or lies outside
    ///   ``minimumBytes``...``maximumBytes``.
    init(bitset: [UInt8]) throws(ParquetError) {
        guard
            bitset.count >= Self.minimumBytes,
            bitset.count <= Self.maximumBytes,
            bitset.count % Self.blockBytes == 0
        else {
            throw ParquetError(
                .corrupt,
                "bloom filter bitset of \(bitset.count) bytes: expected a multiple of 32 in 32...128 MiB"
            )
        }
        let blockCount = bitset.count / Self.blockBytes
        self.blocks = bitset.withUnsafeBytes { bytes in
            Array(unsafeUninitializedCapacity: blockCount) { blocks, initialized in
                for index in 0..<blockCount {
                    var block = SIMD8<UInt32>()
                    for word in 0..<8 {
                        let offset = index * Self.blockBytes + word * 4
                        block[word] = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                    }
                    blocks.initializeElement(at: index, to: block)
                }
                initialized = blockCount
            }
        }
    }

    /// The bitset as stored in a file: eight little-endian `UInt32` words per 32-byte block.
    var bitset: [UInt8] {
        #if _endian(little)
        // `SIMD8<UInt32>` is eight packed native words, so on a little-endian host the storage is the bitset.
        return self.blocks.withUnsafeBytes { Array($0) }
        #else
        var bytes: [UInt8] = []
        bytes.reserveCapacity(self.blocks.count * Self.blockBytes)
        for block in self.blocks {
            for word in 0..<8 {
                bytes.appendLittleEndian(block[word])
            }
        }
        return bytes
        #endif
    }

    /// The bitset size in bytes.
    var byteCount: Int { self.blocks.count * Self.blockBytes }

    /// Adds the value whose XXH64 hash is `hash`.
    mutating func insert(hash: UInt64) {
        let index = self.blockIndex(hash)
        self.blocks[index] |= Self.mask(hash)
    }

    /// Whether the value whose XXH64 hash is `hash` may have been inserted; `false` is certain.
    func mightContain(hash: UInt64) -> Bool {
        let mask = Self.mask(hash)
        return self.blocks[self.blockIndex(hash)] & mask == mask
    }

    /// The block the upper 32 bits select: `((hash >> 32) * z) >> 32`.
    @inline(__always)
    private func blockIndex(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: ((hash >> 32) &* UInt64(truncatingIfNeeded: self.blocks.count)) >> 32)
    }

    /// One bit per word, chosen by the lower 32 bits times each word's salt.
    @inline(__always)
    private static func mask(_ hash: UInt64) -> SIMD8<UInt32> {
        let salt: SIMD8<UInt32> = [
            0x47b6_137b, 0x4497_4d91, 0x8824_ad5b, 0xa2b7_289d, 0x7054_95c7, 0x2df1_424b, 0x9efc_4947, 0x5c6b_fb31,
        ]
        let key = SIMD8<UInt32>(repeating: UInt32(truncatingIfNeeded: hash))
        return SIMD8<UInt32>(repeating: 1) &<< ((key &* salt) &>> 27)
    }
}
