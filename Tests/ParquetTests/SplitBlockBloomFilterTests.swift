import Foundation
import Testing

@testable import Parquet

@Suite struct SplitBlockBloomFilterTests {
    /// `parquet-testing/data/bloom_filter.xxhash.bin`, in the `shared` folder beside the repository root.
    static let corpusFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("../../../shared/parquet-testing/data/bloom_filter.xxhash.bin")
        .standardizedFileURL

    static let isCI = ProcessInfo.processInfo.environment["CI"] != nil
    static let corpusIsAvailable = FileManager.default.fileExists(atPath: corpusFile.path)

    /// The Thrift `BloomFilterHeader` in front of the bitset (PARQUET.md §10): numBytes 1024, block, xxhash,
    /// uncompressed.
    static let header: [UInt8] = [
        0x15, 0x80, 0x10, 0x1c, 0x1c, 0x00, 0x00, 0x1c, 0x1c, 0x00, 0x00, 0x1c, 0x1c, 0x00, 0x00, 0x00,
    ]

    static func hash(_ text: String) -> UInt64 {
        Array(text.utf8).withUnsafeBytes { XXHash64.hash($0) }
    }

    @Test(.enabled(if: corpusIsAvailable || isCI, "needs ../shared/parquet-testing"))
    func readsTheParquetTestingFilter() throws {
        guard Self.corpusIsAvailable else {
            Issue.record("missing \(Self.corpusFile.path); CI must provide the parquet-testing corpus")
            return
        }
        let file = [UInt8](try Data(contentsOf: Self.corpusFile))
        #expect(Array(file.prefix(16)) == Self.header)
        let bitset = Array(file.dropFirst(16))
        #expect(bitset.count == 1024)
        let filter = try SplitBlockBloomFilter(bitset: bitset)
        for present in ["hello", "parquet", "bloom", "filter"] {
            #expect(filter.mightContain(hash: Self.hash(present)), "\(present)")
        }
        for absent in ["foo", "bar", "nothere"] {
            #expect(!filter.mightContain(hash: Self.hash(absent)), "\(absent)")
        }
        #expect(filter.bitset == bitset)
    }

    @Test func rebuildsTheParquetTestingBitset() throws {
        // The same four strings inserted into an empty 1024-byte filter give a bitset that reads back equal.
        var filter = SplitBlockBloomFilter(byteCount: 1024)
        for value in ["hello", "parquet", "bloom", "filter"] {
            filter.insert(hash: Self.hash(value))
        }
        let reread = try SplitBlockBloomFilter(bitset: filter.bitset)
        #expect(reread.bitset == filter.bitset)
        #expect(filter.bitset.count == 1024)
        #expect(filter.bitset.reduce(0) { $0 + $1.nonzeroBitCount } <= 32)
        guard Self.corpusIsAvailable else { return }
        let file = [UInt8](try Data(contentsOf: Self.corpusFile))
        #expect(filter.bitset == Array(file.dropFirst(16)))
    }

    @Test func insertSetsOneBitPerWordOfOneBlock() {
        var filter = SplitBlockBloomFilter(byteCount: 64)
        filter.insert(hash: 0x0000_0001_0000_0001)
        let bitset = filter.bitset
        // Upper half 1: block ((1 * 2) >> 32) = 0. Lower half 1: bit (salt[w] >> 27) of each word.
        let salts: [UInt32] = [
            0x47b6_137b, 0x4497_4d91, 0x8824_ad5b, 0xa2b7_289d, 0x7054_95c7, 0x2df1_424b, 0x9efc_4947, 0x5c6b_fb31,
        ]
        for (word, salt) in salts.enumerated() {
            let value = bitset[word * 4..<word * 4 + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            #expect(value == 1 << (salt >> 27), "word \(word)")
        }
        #expect(bitset[32...].allSatisfy { $0 == 0 })
    }

    @Test func tenThousandValuesHaveNoFalseNegativesAndNearTargetFalsePositives() {
        let target = 0.01
        let byteCount = SplitBlockBloomFilter.optimalByteCount(
            distinctValues: 10_000,
            falsePositiveProbability: target
        )
        var filter = SplitBlockBloomFilter(byteCount: byteCount)
        for value in 0..<10_000 {
            filter.insert(hash: XXHash64.hash(UInt64(value)))
        }
        for value in 0..<10_000 {
            #expect(filter.mightContain(hash: XXHash64.hash(UInt64(value))))
        }
        var falsePositives = 0
        let probes = 100_000
        for value in 10_000..<(10_000 + probes) where filter.mightContain(hash: XXHash64.hash(UInt64(value))) {
            falsePositives += 1
        }
        let rate = Double(falsePositives) / Double(probes)
        // Rounding the size up to a power of two can only lower the rate.
        #expect(rate < target * 1.5, "false-positive rate \(rate) with \(byteCount) bytes")
        #expect(rate > 0, "a filter this size should see some false positives")
    }

    @Test(arguments: [
        (distinctValues: 0, fpp: 0.01, bytes: 32),
        (distinctValues: 1, fpp: 0.01, bytes: 32),
        (distinctValues: 10_000, fpp: 0.01, bytes: 16_384),
        (distinctValues: 10_000, fpp: 0.05, bytes: 16_384),  // 8594 bytes, rounded up
        (distinctValues: 5_000, fpp: 0.05, bytes: 8_192),
        (distinctValues: 1_000_000, fpp: 0.01, bytes: 2_097_152),
        (distinctValues: 1_000_000_000, fpp: 0.0001, bytes: 128 * 1024 * 1024),
        (distinctValues: 10, fpp: 1.0, bytes: 32),
        (distinctValues: 10, fpp: 0.0, bytes: 128 * 1024 * 1024),
    ])
    func optimalByteCount(distinctValues: Int, fpp: Double, bytes: Int) {
        let count = SplitBlockBloomFilter.optimalByteCount(
            distinctValues: distinctValues,
            falsePositiveProbability: fpp
        )
        #expect(count == bytes)
        #expect(count.nonzeroBitCount == 1)
    }

    @Test(arguments: [0, 16, 33, 1000, 128 * 1024 * 1024 + 32])
    func rejectsBadBitsetSizes(_ count: Int) {
        let error = #expect(throws: ParquetError.self) {
            try SplitBlockBloomFilter(bitset: [UInt8](repeating: 0, count: count))
        }
        #expect(error?.code == .corrupt)
    }

    @Test func acceptsAnyMultipleOfThirtyTwoBytes() throws {
        var filter = try SplitBlockBloomFilter(bitset: [UInt8](repeating: 0, count: 96))
        filter.insert(hash: Self.hash("x"))
        #expect(filter.mightContain(hash: Self.hash("x")))
        #expect(filter.bitset.count == 96)
    }
}
