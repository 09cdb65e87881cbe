import Testing

@testable import Parquet

@Suite struct ArrayGrowthTests {
    @Test func growingUninitializedKeepsTheBytesAndReachesTheCount() {
        var bytes: [UInt8] = [1, 2, 3]
        bytes.growUninitialized(toCount: 10, keeping: 3)
        #expect(bytes.count == 10)
        #expect(Array(bytes[0..<3]) == [1, 2, 3])
        bytes[9] = 9
        bytes.growUninitialized(toCount: 4, keeping: 10)  // already longer: unchanged
        #expect(bytes.count == 10)
        #expect(bytes[9] == 9)

        var empty: [UInt8] = []
        empty.growUninitialized(toCount: 0, keeping: 0)
        #expect(empty.isEmpty)
        empty.growUninitialized(toCount: 5, keeping: 0)
        #expect(empty.count == 5)
    }

    @Test func growingKeepsOnlyTheBytesAskedFor() {
        var bytes: [UInt8] = Array(1...8)
        bytes.growUninitialized(toCount: 64, keeping: 3)
        #expect(bytes.count == 64)
        #expect(Array(bytes[0..<3]) == [1, 2, 3])

        // More kept than held keeps what is held; an array already long enough stays as it is.
        var short: [UInt8] = [4, 5]
        short.growUninitialized(toCount: 6, keeping: 10)
        #expect(Array(short[0..<2]) == [4, 5])
        short.growUninitialized(toCount: 3, keeping: 0)
        #expect(short.count == 6)
        #expect(Array(short[0..<2]) == [4, 5])
    }

    /// A codec's output buffer grown without its stale bytes still receives whole, correct frames.
    @Test func compressorOutputGrownWithoutItsBytesHoldsTheFrame() throws {
        let compressor = try PageCompressor(.zstd(level: 3))
        var scratch: [UInt8] = Array(repeating: 0xAB, count: 16)
        let small = Array("abc".utf8)
        let page = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) }
        for input in [small, page, small] {
            let written = try input.withUnsafeBytes { try compressor.compress($0, intoPrefixOf: &scratch) }
            var decoded: [UInt8] = []
            try scratch[0..<written].withUnsafeBytes {
                try PageDecompressor(.zstd).decompress($0, uncompressedSize: input.count, appendingTo: &decoded)
            }
            #expect(decoded == input)
        }
    }

    @Test func zeroBytesAreZero() {
        var bytes: [UInt8] = [7]
        bytes.appendZeroBytes(3_000)
        #expect(bytes.count == 3_001)
        #expect(bytes[0] == 7)
        #expect(bytes.dropFirst().allSatisfy { $0 == 0 })
    }
}
