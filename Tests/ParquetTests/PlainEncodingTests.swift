import Testing

@testable import Parquet

@Suite struct PlainEncodingTests {
    @Test func goldenBooleans() throws {
        var output: [UInt8] = []
        [true, false, true, true].withUnsafeBufferPointer { PlainEncoder.encodeBooleans($0, into: &output) }
        #expect(output == [0x0D])
        var decoded: [Bool] = []
        let consumed = try output.withUnsafeBytes { try PlainDecoder.decodeBooleans($0, count: 4, into: &decoded) }
        #expect(consumed == 1)
        #expect(decoded == [true, false, true, true])
    }

    @Test(arguments: roundTripLengths)
    func roundTripsBooleans(count: Int) throws {
        var generator = SplitMix64(seed: UInt64(count))
        let values = (0..<count).map { _ in Bool.random(using: &generator) }
        var output: [UInt8] = []
        values.withUnsafeBufferPointer { PlainEncoder.encodeBooleans($0, into: &output) }
        #expect(output.count == (count + 7) / 8)
        var decoded: [Bool] = [false]
        _ = try output.withUnsafeBytes { try PlainDecoder.decodeBooleans($0, count: count, into: &decoded) }
        #expect(decoded == [false] + values)
    }

    @Test func goldenIntegers() throws {
        var output: [UInt8] = []
        [Int32(1), 2, 3].withUnsafeBufferPointer { PlainEncoder.encode($0, into: &output) }
        #expect(output == hexBytes("01 00 00 00 02 00 00 00 03 00 00 00"))
        var decoded: [Int32] = []
        let consumed = try output.withUnsafeBytes { try PlainDecoder.decode($0, count: 3, into: &decoded) }
        #expect(consumed == 12)
        #expect(decoded == [1, 2, 3])
    }

    @Test(arguments: roundTripLengths)
    func roundTripsFixedWidth(count: Int) throws {
        var generator = SplitMix64(seed: UInt64(count) + 1)
        let longs = (0..<count).map { _ in Int64(bitPattern: generator.next()) }
        let doubles = longs.map { Double(bitPattern: UInt64(bitPattern: $0)) }
        let floats = longs.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }
        var output: [UInt8] = [0xAA]
        longs.withUnsafeBufferPointer { PlainEncoder.encode($0, into: &output) }
        doubles.withUnsafeBufferPointer { PlainEncoder.encode($0, into: &output) }
        floats.withUnsafeBufferPointer { PlainEncoder.encode($0, into: &output) }
        #expect(output.count == 1 + count * 20)
        try output.withUnsafeBytes { raw in
            var position = 1
            var decodedLongs: [Int64] = []
            position += try PlainDecoder.decode(
                UnsafeRawBufferPointer(rebasing: raw[position...]),
                count: count,
                into: &decodedLongs
            )
            var decodedDoubles: [Double] = []
            position += try PlainDecoder.decode(
                UnsafeRawBufferPointer(rebasing: raw[position...]),
                count: count,
                into: &decodedDoubles
            )
            var decodedFloats: [Float] = []
            position += try PlainDecoder.decode(
                UnsafeRawBufferPointer(rebasing: raw[position...]),
                count: count,
                into: &decodedFloats
            )
            #expect(position == raw.count)
            #expect(decodedLongs == longs)
            #expect(decodedDoubles.map(\.bitPattern) == doubles.map(\.bitPattern))
            #expect(decodedFloats.map(\.bitPattern) == floats.map(\.bitPattern))
        }
    }

    @Test func goldenByteArrays() throws {
        let values = ByteArrayBuffer(["a", "b", "c"])
        var output: [UInt8] = []
        PlainEncoder.encodeByteArrays(values, range: 0..<3, into: &output)
        #expect(output == hexBytes("01 00 00 00 61 01 00 00 00 62 01 00 00 00 63"))
        var decoded = ByteArrayBuffer()
        let consumed = try output.withUnsafeBytes { try PlainDecoder.decodeByteArrays($0, count: 3, into: &decoded) }
        #expect(consumed == output.count)
        #expect(decoded == values)
    }

    @Test func roundTripsByteArrayRanges() throws {
        var generator = SplitMix64(seed: 5)
        let values = ByteArrayBuffer(
            (0..<1000).map { _ in
                (0..<Int.random(in: 0..<20, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator)
                }
            }
        )
        var output: [UInt8] = []
        PlainEncoder.encodeByteArrays(values, range: 100..<900, into: &output)
        var decoded = ByteArrayBuffer(["prefix"])
        _ = try output.withUnsafeBytes { try PlainDecoder.decodeByteArrays($0, count: 800, into: &decoded) }
        #expect(decoded.count == 801)
        for index in 0..<800 { #expect(Array(decoded[index + 1]) == Array(values[index + 100])) }
    }

    /// Values of every length up to a few hundred bytes and some longer, in a range that starts and ends
    /// inside the buffers, come out as the reference layout: each length, then exactly its bytes, and
    /// nothing written past them.
    @Test func writesByteArraysOfEveryLengthAroundTheCopySteps() {
        var generator = SplitMix64(seed: 9)
        let lengths =
            Array(0...200) + [255, 256, 257, 4_095, 4_096, 70_000] + (0..<300).map { _ in Int(generator.next() % 300) }
        let values = ByteArrayBuffer(
            lengths.map { length in (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) } }
        )
        let range = 3..<(values.count - 2)
        var expected: [UInt8] = [0xEE, 0xEE]
        for index in range {
            withUnsafeBytes(of: UInt32(values[index].count).littleEndian) { expected.append(contentsOf: $0) }
            expected.append(contentsOf: values[index])
        }
        // Bytes after the values stay as they were.
        var output = [UInt8](repeating: 0xEE, count: expected.count + 64)
        let end = output.withUnsafeMutableBytes { destination in
            values.bytes.withUnsafeBytes { bytes in
                values.offsets.withUnsafeBufferPointer { offsets in
                    PlainEncoder.writeByteArrays(bytes, offsets: offsets, range: range, into: destination, at: 2)
                }
            }
        }
        #expect(end == expected.count)
        #expect(Array(output[0..<end]) == expected)
        #expect(output[end...].allSatisfy { $0 == 0xEE })
    }

    @Test func roundTripsFixedLength() throws {
        let values = ByteArrayBuffer(["abcd", "efgh", "ijkl"])
        var output: [UInt8] = []
        PlainEncoder.encodeFixedLength(values, range: 1..<3, into: &output)
        #expect(output == Array("efghijkl".utf8))
        var decoded = ByteArrayBuffer()
        let consumed = try output.withUnsafeBytes {
            try PlainDecoder.decodeFixedLength($0, count: 2, typeLength: 4, into: &decoded)
        }
        #expect(consumed == 8)
        #expect(decoded == ByteArrayBuffer(["efgh", "ijkl"]))
    }

    @Test func rejectsShortPages() {
        let bytes: [UInt8] = [0x05, 0x00, 0x00, 0x00, 0x61, 0x62]
        var strings = ByteArrayBuffer()
        var ints: [Int32] = []
        var flags: [Bool] = []
        let errors = bytes.withUnsafeBytes { raw in
            [
                thrownParquetError { _ = try PlainDecoder.decodeByteArrays(raw, count: 1, into: &strings) },
                thrownParquetError { _ = try PlainDecoder.decode(raw, count: 2, into: &ints) },
                thrownParquetError { _ = try PlainDecoder.decodeBooleans(raw, count: 49, into: &flags) },
                thrownParquetError {
                    _ = try PlainDecoder.decodeFixedLength(raw, count: 2, typeLength: 4, into: &strings)
                },
                thrownParquetError { _ = try PlainDecoder.decode(raw, count: Int.max, into: &ints) },
            ]
        }
        for error in errors {
            #expect(error?.code == .corrupt)
            #expect(error?.message.hasPrefix("unexpected end of page") == true)
        }
        #expect(strings.isEmpty && ints.isEmpty && flags.isEmpty)
    }
}
