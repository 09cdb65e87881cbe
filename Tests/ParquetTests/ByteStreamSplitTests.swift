import Testing

@testable import Parquet

@Suite struct ByteStreamSplitTests {
    @Test func splitsFloats() throws {
        let values: [Float] = [1.0, -2.5]
        var output: [UInt8] = []
        values.withUnsafeBytes { ByteStreamSplit.encode($0, width: 4, into: &output) }
        // 1.0 = 00 00 80 3F, -2.5 = 00 00 20 C0.
        #expect(output == hexBytes("00 00 00 00 80 20 3F C0"))
        var decoded: [UInt8] = []
        try output.withUnsafeBytes { try ByteStreamSplit.decode($0, width: 4, count: 2, into: &decoded) }
        #expect(decoded == values.withUnsafeBytes { Array($0) })
    }

    @Test(arguments: [1, 2, 3, 4, 8, 16])
    func roundTrips(width: Int) throws {
        for count in roundTripLengths {
            var generator = SplitMix64(seed: UInt64(width * count))
            let bytes = (0..<(width * count)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var output: [UInt8] = []
            bytes.withUnsafeBytes { ByteStreamSplit.encode($0, width: width, into: &output) }
            #expect(output.count == bytes.count)
            var decoded: [UInt8] = []
            try output.withUnsafeBytes { try ByteStreamSplit.decode($0, width: width, count: count, into: &decoded) }
            #expect(decoded == bytes)
        }
    }

    @Test func rejectsShortInput() {
        var decoded: [UInt8] = []
        let bytes = [UInt8](repeating: 0, count: 7)
        for (width, count) in [(4, 2), (0, 1), (8, Int.max)] {
            let error = thrownParquetError {
                try bytes.withUnsafeBytes { try ByteStreamSplit.decode($0, width: width, count: count, into: &decoded) }
            }
            #expect(error?.code == .corrupt)
        }
    }
}
