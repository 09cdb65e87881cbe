import Testing

@testable import Parquet

@Suite struct DeltaByteArrayTests {
    private static func randomStrings(count: Int, seed: UInt64) -> ByteArrayBuffer {
        var generator = SplitMix64(seed: seed)
        var values = ByteArrayBuffer()
        var previous: [UInt8] = []
        for _ in 0..<count {
            // Share a random prefix with the previous value, as sorted keys and URLs do.
            var value = Array(previous.prefix(Int.random(in: 0...previous.count, using: &generator)))
            for _ in 0..<Int.random(in: 0..<12, using: &generator) {
                value.append(UInt8.random(in: 97...100, using: &generator))
            }
            values.append(value)
            previous = value
        }
        return values
    }

    @Test func goldenDeltaLengthByteArray() throws {
        let values = ByteArrayBuffer(["Hello", "World", "Foobar", "ABCDEF"])
        var output: [UInt8] = []
        DeltaLengthByteArrayEncoder.encode(values, range: 0..<4, into: &output)
        let golden = hexBytes("80 01 04 04 0a 00 01 00 00 00 02 00 00 00") + Array("HelloWorldFoobarABCDEF".utf8)
        #expect(output == golden)
        var decoded = ByteArrayBuffer()
        let consumed = try golden.withUnsafeBytes {
            try DeltaLengthByteArrayDecoder.decode($0, count: 4, into: &decoded)
        }
        #expect(consumed == golden.count)
        #expect(decoded == values)
    }

    @Test func goldenDeltaByteArray() throws {
        let values = ByteArrayBuffer(["axis", "axle", "babble", "babyhood"])
        var output: [UInt8] = []
        DeltaByteArrayEncoder.encode(values, range: 0..<4, into: &output)
        let golden =
            hexBytes("80 01 04 04 00 03 03 00 00 00 44 01") + [UInt8](repeating: 0, count: 10)
            + hexBytes("80 01 04 04 08 03 03 00 00 00 70") + [UInt8](repeating: 0, count: 11)
            + Array("axislebabbleyhood".utf8)
        #expect(output == golden)
        var decoded = ByteArrayBuffer(["x"])
        let consumed = try golden.withUnsafeBytes { try DeltaByteArrayDecoder.decode($0, count: 4, into: &decoded) }
        #expect(consumed == golden.count)
        #expect(decoded == ByteArrayBuffer(["x", "axis", "axle", "babble", "babyhood"]))
    }

    @Test(arguments: roundTripLengths)
    func roundTrips(count: Int) throws {
        let all = Self.randomStrings(count: count + 3, seed: UInt64(count))
        let range = 2..<(count + 2)
        let expected = all.slice(range)
        var lengthOutput: [UInt8] = []
        DeltaLengthByteArrayEncoder.encode(all, range: range, into: &lengthOutput)
        var deltaOutput: [UInt8] = []
        DeltaByteArrayEncoder.encode(all, range: range, into: &deltaOutput)
        var decoded = ByteArrayBuffer()
        #expect(
            try lengthOutput.withUnsafeBytes {
                try DeltaLengthByteArrayDecoder.decode($0, count: count, into: &decoded)
            } == lengthOutput.count
        )
        #expect(decoded == expected)
        decoded.removeAll()
        #expect(
            try deltaOutput.withUnsafeBytes {
                try DeltaByteArrayDecoder.decode($0, count: count, into: &decoded)
            } == deltaOutput.count
        )
        #expect(decoded == expected)
    }

    @Test func truncatedInputNeverTraps() {
        let values = Self.randomStrings(count: 300, seed: 11)
        var lengthOutput: [UInt8] = []
        DeltaLengthByteArrayEncoder.encode(values, range: 0..<300, into: &lengthOutput)
        var deltaOutput: [UInt8] = []
        DeltaByteArrayEncoder.encode(values, range: 0..<300, into: &deltaOutput)
        let cases: [([UInt8], (UnsafeRawBufferPointer, inout ByteArrayBuffer) throws -> Int)] = [
            (lengthOutput, { try DeltaLengthByteArrayDecoder.decode($0, count: 300, into: &$1) }),
            (deltaOutput, { try DeltaByteArrayDecoder.decode($0, count: 300, into: &$1) }),
        ]
        for (encoded, decode) in cases {
            for length in 0..<encoded.count {
                let prefix = Array(encoded[0..<length])
                var decoded = ByteArrayBuffer(["keep"])
                let error = thrownParquetError {
                    _ = try prefix.withUnsafeBytes { try decode($0, &decoded) }
                }
                // The data of the last values is always at the end, so every truncation is detected.
                #expect(error?.code == .corrupt, "length \(length)")
                #expect(decoded.count == 1)
            }
        }
    }

    @Test func rejectsPrefixLongerThanPreviousValue() {
        var bytes: [UInt8] = []
        [Int32(1), 0].withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &bytes) }
        [Int32(1), 1].withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &bytes) }
        bytes += Array("ab".utf8)
        var decoded = ByteArrayBuffer()
        let error = thrownParquetError {
            _ = try bytes.withUnsafeBytes { try DeltaByteArrayDecoder.decode($0, count: 2, into: &decoded) }
        }
        #expect(error?.code == .corrupt)
    }

    @Test func rejectsCountMismatch() {
        let golden = hexBytes("80 01 04 04 0a 00 01 00 00 00 02 00 00 00") + Array("HelloWorldFoobarABCDEF".utf8)
        var decoded = ByteArrayBuffer()
        let error = thrownParquetError {
            _ = try golden.withUnsafeBytes { try DeltaLengthByteArrayDecoder.decode($0, count: 5, into: &decoded) }
        }
        #expect(error?.code == .corrupt)
    }
}
