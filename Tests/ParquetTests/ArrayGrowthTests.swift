import Testing

@testable import Parquet

@Suite struct ArrayGrowthTests {
    @Test func growingUninitializedKeepsTheBytesAndReachesTheCount() {
        var bytes: [UInt8] = [1, 2, 3]
        bytes.growUninitialized(toCount: 10)
        #expect(bytes.count == 10)
        #expect(Array(bytes[0..<3]) == [1, 2, 3])
        bytes[9] = 9
        bytes.growUninitialized(toCount: 4)  // already longer: unchanged
        #expect(bytes.count == 10)
        #expect(bytes[9] == 9)

        var empty: [UInt8] = []
        empty.growUninitialized(toCount: 0)
        #expect(empty.isEmpty)
        empty.growUninitialized(toCount: 5)
        #expect(empty.count == 5)
    }

    @Test func zeroBytesAreZero() {
        var bytes: [UInt8] = [7]
        bytes.appendZeroBytes(3_000)
        #expect(bytes.count == 3_001)
        #expect(bytes[0] == 7)
        #expect(bytes.dropFirst().allSatisfy { $0 == 0 })
    }
}
