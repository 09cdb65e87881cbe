import Testing

@testable import Parquet

@Suite struct RLEBitPackedHybridTests {
    private func encode(_ values: [UInt32], bitWidth: Int) -> [UInt8] {
        var output: [UInt8] = []
        values.withUnsafeBufferPointer { RLEBitPackedHybridEncoder.encode($0, bitWidth: bitWidth, into: &output) }
        return output
    }

    private func encodeLevels(_ values: [UInt8], bitWidth: Int) -> [UInt8] {
        var output: [UInt8] = []
        values.withUnsafeBufferPointer { RLEBitPackedHybridEncoder.encode($0, bitWidth: bitWidth, into: &output) }
        return output
    }

    private func encodeStreaming(_ values: [UInt32], bitWidth: Int) -> [UInt8] {
        var encoder = RLEBitPackedHybridEncoder(bitWidth: bitWidth)
        for value in values { encoder.append(value) }
        var output: [UInt8] = []
        encoder.finish(into: &output)
        return output
    }

    /// Decodes `count` values in chunks of `chunk`, then checks that nothing more comes out beyond padding.
    private func decode(_ bytes: [UInt8], bitWidth: Int, count: Int, chunk: Int) throws -> [UInt32] {
        try bytes.withUnsafeBytes { raw in
            var decoder = try RLEBitPackedHybridDecoder(raw, bitWidth: bitWidth)
            var result = [UInt32](repeating: 0xDEAD_BEEF, count: count)
            var done = 0
            try result.withUnsafeMutableBufferPointer { buffer in
                while done < count {
                    let end = min(count, done + chunk)
                    let got = try decoder.decode(into: UnsafeMutableBufferPointer(rebasing: buffer[done..<end]))
                    if got == 0 { break }
                    done += got
                }
            }
            #expect(done == count)
            return result
        }
    }

    private static func randomValues(count: Int, bitWidth: Int, seed: UInt64) -> [UInt32] {
        var generator = SplitMix64(seed: seed)
        let maximum: UInt64 = bitWidth == 0 ? 0 : (1 << UInt64(bitWidth)) - 1
        var values: [UInt32] = []
        values.reserveCapacity(count)
        while values.count < count {
            let value = UInt32(UInt64.random(in: 0...maximum, using: &generator))
            // Mix single values with runs of various lengths so both run kinds and their boundaries appear.
            let run = [1, 1, 1, 2, 3, 7, 8, 9, 15, 16, 40][Int.random(in: 0..<11, using: &generator)]
            for _ in 0..<min(run, count - values.count) { values.append(value) }
        }
        return values
    }

    @Test func goldenBitPackedZeroToSeven() {
        #expect(self.encode([0, 1, 2, 3, 4, 5, 6, 7], bitWidth: 3) == hexBytes("03 88 C6 FA"))
    }

    @Test func goldenWorkedExampleLevels() {
        #expect(self.encodeLevels([0, 1, 0, 0, 0, 1], bitWidth: 1) == hexBytes("03 22"))
        #expect(self.encodeLevels([3, 3, 0, 1, 2, 3], bitWidth: 2) == hexBytes("03 4F 0E"))
        #expect(self.encodeLevels([1, 1, 1, 0, 1], bitWidth: 1) == hexBytes("03 17"))
    }

    @Test func goldenDictionaryIndices() {
        #expect(self.encode([0, 1, 0, 0], bitWidth: 1) == hexBytes("03 02"))
        #expect(self.encodeStreaming([0, 1, 0, 0], bitWidth: 1) == hexBytes("03 02"))
    }

    @Test func allEqualLevelsBecomeOneRun() {
        let levels = [UInt8](repeating: 1, count: 1000)
        #expect(self.encodeLevels(levels, bitWidth: 1) == hexBytes("D0 0F 01"))
        var encoder = RLEBitPackedHybridEncoder(bitWidth: 1)
        encoder.append(repeating: 1, count: 1000)
        var output: [UInt8] = []
        encoder.finish(into: &output)
        #expect(output == hexBytes("D0 0F 01"))
    }

    @Test func runsPadLiteralGroups() throws {
        // 3 literal values, then a run of 20: the run lends 5 values to complete the group, then 15 as RLE.
        let values: [UInt32] = [1, 2, 3] + [UInt32](repeating: 5, count: 20)
        let bytes = self.encode(values, bitWidth: 3)
        #expect(bytes == hexBytes("03 D1 DA B6 1E 05"))
        #expect(self.encodeStreaming(values, bitWidth: 3) == bytes)
        #expect(try self.decode(bytes, bitWidth: 3, count: values.count, chunk: 5) == values)
    }

    @Test(arguments: 0...32)
    func roundTripsEveryWidth(bitWidth: Int) throws {
        for count in roundTripLengths {
            let values = Self.randomValues(count: count, bitWidth: bitWidth, seed: UInt64(bitWidth * 1000 + count))
            let bytes = self.encode(values, bitWidth: bitWidth)
            #expect(self.encodeStreaming(values, bitWidth: bitWidth) == bytes)
            for chunk in [count, 7, 1000] where chunk > 0 {
                #expect(try self.decode(bytes, bitWidth: bitWidth, count: count, chunk: chunk) == values)
            }
        }
    }

    /// One-bit levels pack eight to a byte, lowest first, whatever the eight (all 256 groups).
    @Test func packsEveryGroupOfOneBitLevels() {
        let levels: [UInt8] = (0..<256).flatMap { group in (0..<8).map { UInt8((group >> $0) & 1) } }
        var packed = [UInt8](repeating: 0, count: 256 + 8)
        levels.withUnsafeBufferPointer { source in
            packed.withUnsafeMutableBytes {
                BitPacking.pack(source.baseAddress!, groups: 256, width: 1, into: $0.baseAddress!)
            }
        }
        #expect(Array(packed[0..<256]) == (0..<256).map { UInt8($0) })
    }

    /// Levels of two to four bits pack as the one-value-at-a-time loop of 32-bit values packs them.
    @Test(arguments: 2...4)
    func packsLevelsOfSeveralBitsAsWideValues(bitWidth: Int) {
        let levels = Self.randomValues(count: 8 * 500, bitWidth: bitWidth, seed: UInt64(bitWidth)).map(UInt8.init)
        let wide = levels.map(UInt32.init)
        var packed = [UInt8](repeating: 0, count: 500 * bitWidth + 8)
        var expected = packed
        levels.withUnsafeBufferPointer { source in
            packed.withUnsafeMutableBytes {
                BitPacking.pack(source.baseAddress!, groups: 500, width: bitWidth, into: $0.baseAddress!)
            }
        }
        wide.withUnsafeBufferPointer { source in
            expected.withUnsafeMutableBytes {
                BitPacking.pack(source.baseAddress!, groups: 500, width: bitWidth, into: $0.baseAddress!)
            }
        }
        #expect(Array(packed[0..<(500 * bitWidth)]) == Array(expected[0..<(500 * bitWidth)]))
    }

    @Test(arguments: 0...8)
    func roundTripsLevels(bitWidth: Int) throws {
        for count in roundTripLengths {
            let values = Self.randomValues(count: count, bitWidth: bitWidth, seed: UInt64(count)).map(UInt8.init)
            let bytes = self.encodeLevels(values, bitWidth: bitWidth)
            #expect(self.encode(values.map(UInt32.init), bitWidth: bitWidth) == bytes)
            let decoded = try bytes.withUnsafeBytes { raw in
                var decoder = try RLEBitPackedHybridDecoder(raw, bitWidth: bitWidth)
                var result = [UInt8](repeating: 0xFF, count: count)
                let got = try result.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                #expect(got == count)
                return result
            }
            #expect(decoded == values)
        }
    }

    @Test func rejectsWideBitWidth() {
        let bytes: [UInt8] = [0x02, 0x00]
        #expect(throws: ParquetError.self) {
            try bytes.withUnsafeBytes { _ = try RLEBitPackedHybridDecoder($0, bitWidth: 33) }
        }
        let error = thrownParquetError {
            _ = try bytes.withUnsafeBytes { try RLEBitPackedHybridDecoder($0, bitWidth: 33) }
        }
        #expect(error?.code == .corrupt)
        #expect(error?.message == "bit width 33 > 32")
    }

    @Test func widthZeroDecodesZeros() throws {
        // ARROW-GH-43605: dictionary indices with bit width 0 are all zero.
        let decoded = try self.decode([0x0A], bitWidth: 0, count: 5, chunk: 5)
        #expect(decoded == [0, 0, 0, 0, 0])
        #expect(try self.decode([0x03], bitWidth: 0, count: 8, chunk: 3) == [UInt32](repeating: 0, count: 8))
    }

    @Test func truncatedInputNeverTraps() throws {
        let values = Self.randomValues(count: 500, bitWidth: 13, seed: 7)
        let bytes = self.encode(values, bitWidth: 13)
        for length in 0..<bytes.count {
            let prefix = Array(bytes[0..<length])
            var decoded: [UInt32] = []
            let error = thrownParquetError {
                decoded = try prefix.withUnsafeBytes { raw in
                    var decoder = try RLEBitPackedHybridDecoder(raw, bitWidth: 13)
                    var result = [UInt32](repeating: 0, count: values.count)
                    let got = try result.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                    return Array(result[0..<got])
                }
            }
            if let error {
                #expect(error.code == .corrupt)
            } else {
                #expect(decoded.count < values.count)
                // What decodes from a truncated stream matches the original, except the last group of a
                // truncated bit-packed run, whose missing bytes read as zero.
                let checked = max(0, decoded.count - 8)
                #expect(Array(values[0..<checked]) == Array(decoded[0..<checked]))
            }
        }
    }

    @Test func rejectsTruncatedRLEValueAndHeader() {
        for bytes: [UInt8] in [[0x10], [0x10, 0x01], [0x80], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]] {
            #expect(throws: ParquetError.self) {
                try bytes.withUnsafeBytes { raw in
                    var decoder = try RLEBitPackedHybridDecoder(raw, bitWidth: 12)
                    var output = [UInt32](repeating: 0, count: 8)
                    _ = try output.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                }
            }
        }
    }
}
