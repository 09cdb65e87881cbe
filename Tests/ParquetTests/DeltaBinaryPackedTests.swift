import Testing

@testable import Parquet

@Suite struct DeltaBinaryPackedTests {
    private func encode(_ values: [Int64]) -> [UInt8] {
        var output: [UInt8] = []
        values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &output) }
        return output
    }

    private func encode(_ values: [Int32]) -> [UInt8] {
        var output: [UInt8] = []
        values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &output) }
        return output
    }

    /// Decodes every value in chunks of `chunk`; returns the values and the bytes consumed.
    private func decode<T: FixedWidthInteger>(
        _ bytes: [UInt8],
        as type: T.Type,
        chunk: Int = 1000
    ) throws -> (values: [T], consumed: Int) {
        try bytes.withUnsafeBytes { raw in
            var decoder = try DeltaBinaryPackedDecoder(raw)
            var values = [T](repeating: 0, count: decoder.totalCount)
            var done = 0
            try values.withUnsafeMutableBufferPointer { buffer in
                while done < buffer.count {
                    let slice = UnsafeMutableBufferPointer(rebasing: buffer[done..<min(buffer.count, done + chunk)])
                    let got: Int
                    if T.self == Int64.self {
                        got = try decoder.decode(into: UnsafeMutableRawBufferPointer(slice).bindMemory(to: Int64.self))
                    } else {
                        got = try decoder.decode(into: UnsafeMutableRawBufferPointer(slice).bindMemory(to: Int32.self))
                    }
                    #expect(got > 0)
                    if got == 0 { break }
                    done += got
                }
            }
            #expect(decoder.remainingCount == 0)
            return (values, decoder.bytesConsumed)
        }
    }

    /// Values whose deltas need exactly `bitWidth` bits after subtracting the minimum delta.
    private static func values(count: Int, bitWidth: Int, seed: UInt64) -> [Int64] {
        var generator = SplitMix64(seed: seed)
        let mask: UInt64 = bitWidth == 64 ? ~0 : (1 << UInt64(bitWidth)) - 1
        var current = Int64(bitPattern: generator.next())
        var values: [Int64] = []
        values.reserveCapacity(count)
        for _ in 0..<count {
            values.append(current)
            current = current &+ Int64(bitPattern: generator.next() & mask)
        }
        return values
    }

    @Test func goldenInt32() throws {
        let golden = hexBytes("80 01 04 08 0e 03 02 00 00 00 c0 3f 00 00 00 00 00 00")
        #expect(self.encode([7, 5, 3, 1, 2, 3, 4, 5] as [Int32]) == golden)
        let decoded = try self.decode(golden, as: Int32.self)
        #expect(decoded.values == [7, 5, 3, 1, 2, 3, 4, 5])
        #expect(decoded.consumed == golden.count)
        #expect(try self.decode(golden, as: Int64.self).values == [7, 5, 3, 1, 2, 3, 4, 5])
    }

    @Test func emptyAndSingleValue() throws {
        #expect(self.encode([] as [Int64]) == hexBytes("80 01 04 00 00"))
        #expect(self.encode([-1] as [Int64]) == hexBytes("80 01 04 01 01"))
        #expect(try self.decode(hexBytes("80 01 04 01 01 FF"), as: Int64.self) == ([-1], 5))
    }

    @Test(arguments: 0...64)
    func roundTripsInt64(bitWidth: Int) throws {
        for count in roundTripLengths {
            let values = Self.values(count: count, bitWidth: bitWidth, seed: UInt64(bitWidth << 20 | count))
            let bytes = self.encode(values)
            for chunk in [7, 100_000] {
                let decoded = try self.decode(bytes + [0xAB, 0xCD], as: Int64.self, chunk: chunk)
                #expect(decoded.values == values)
                #expect(decoded.consumed == bytes.count)
            }
        }
    }

    @Test(arguments: 0...32)
    func roundTripsInt32(bitWidth: Int) throws {
        for count in roundTripLengths {
            let values = Self.values(count: count, bitWidth: bitWidth, seed: UInt64(bitWidth << 20 | count)).map {
                Int32(truncatingIfNeeded: $0)
            }
            let bytes = self.encode(values)
            let decoded = try self.decode(bytes, as: Int32.self, chunk: 33)
            #expect(decoded.values == values)
            #expect(decoded.consumed == bytes.count)
        }
    }

    @Test func wrappingExtremes() throws {
        let longs: [Int64] = [.min, .max, 0, .min, -1, .max, .max, .min, 1, -1] + Array(repeating: .min, count: 200)
        #expect(try self.decode(self.encode(longs), as: Int64.self).values == longs)
        let ints: [Int32] = [.min, .max, 0, .min, -1, .max, .max, .min, 1, -1] + Array(repeating: .max, count: 200)
        let intBytes = self.encode(ints)
        #expect(try self.decode(intBytes, as: Int32.self).values == ints)
        // INT32 deltas are taken in 32 bits, so no miniblock is wider than 32 bits.
        let widths = try intBytes.withUnsafeBytes { raw in
            var position = 0
            for _ in 0..<5 { _ = try LEB128.read(raw, at: &position) }  // header and the first min delta
            return Array(raw[position..<position + 4])
        }
        #expect(widths.allSatisfy { $0 <= 32 })
    }

    @Test(arguments: [
        "00 04 08 0e",  // block size 0
        "64 04 08 0e",  // block size 100
        "80 01 00 08 0e",  // no miniblocks
        "80 01 03 08 0e",  // 128 / 3
        "80 01 08 08 0e",  // 16 values per miniblock
        "80 80 80 08 04 08 0e",  // block size 2^24
        "80 01 04 80 80 80 80 10 0e",  // count 2^32
        "80 01 04",  // truncated header
    ])
    func rejectsInvalidHeaders(hex: String) {
        let error = thrownParquetError {
            _ = try hexBytes(hex).withUnsafeBytes { try DeltaBinaryPackedDecoder($0) }
        }
        #expect(error?.code == .corrupt)
    }

    @Test func rejectsWidthAbove64() {
        let error = thrownParquetError {
            let bytes = hexBytes("80 01 04 03 00 00 41 00 00 00") + [UInt8](repeating: 0, count: 300)
            _ = try self.decode(bytes, as: Int64.self)
        }
        #expect(error?.code == .corrupt)
    }

    @Test func truncatedInputNeverTraps() throws {
        let values = Self.values(count: 300, bitWidth: 37, seed: 99)
        let bytes = self.encode(values)
        for length in 0..<bytes.count {
            var decoded: [Int64] = []
            let error = thrownParquetError {
                decoded = try self.decode(Array(bytes[0..<length]), as: Int64.self).values
            }
            if let error {
                #expect(error.code == .corrupt)
            } else {
                // Only the padding after the last value may be missing.
                #expect(decoded == values)
            }
        }
    }
}
