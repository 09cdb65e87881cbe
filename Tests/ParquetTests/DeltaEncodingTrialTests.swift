import Testing

@testable import Parquet

/// ``WriterOptions/integerEncodingTrial``: integer columns whose values step take DELTA_BINARY_PACKED,
/// others keep PLAIN, and the values read back either way.
@Suite struct DeltaEncodingTrialTests {
    /// Event times in microseconds, rising by random steps of up to a second, some null.
    static func eventTimes(_ count: Int, seed: UInt64) -> (values: [Int64], levels: [UInt8]) {
        var random = SplitMix64(seed: seed)
        var time: Int64 = 1_687_046_400_000_000
        var values: [Int64] = []
        var levels: [UInt8] = []
        for _ in 0..<count {
            if random.next() % 50 == 0 {
                levels.append(0)
                continue
            }
            time += Int64(random.next() % 1_000_000)
            values.append(time)
            levels.append(1)
        }
        return (values, levels)
    }

    /// A short pattern of unrelated values, repeated: PLAIN compresses it to nothing, its deltas do not
    /// pack below their width.
    static func repeatedPattern(_ count: Int) -> [Int64] {
        var random = SplitMix64(seed: 5)
        let pattern = (0..<600).map { _ in Int64(bitPattern: random.next()) }
        return (0..<count).map { pattern[$0 % pattern.count] }
    }

    static func write(
        _ schema: ParquetSchema,
        _ batches: [ColumnBatch],
        configure: (inout WriterOptions) -> Void = { _ in }
    ) throws -> ParquetFileReader<MemorySource> {
        var options = WriterOptions()
        options.compression = .zstd(level: 3)
        options.dictionaryEnabled = false
        configure(&options)
        let writer = try ParquetFileWriter(schema: schema, options: options, sink: MemorySink())
        try writer.write(batches)
        try writer.finish()
        return try ParquetFileReader(source: MemorySource(writer.sink.bytes))
    }

    static func dataPageEncodings(_ reader: ParquetFileReader<MemorySource>, column: Int) -> Set<Encoding> {
        var encodings: Set<Encoding> = []
        for group in reader.metadata.rowGroups {
            for entry in group.columns[column].encodingStatistics where entry.pageType != .dictionaryPage {
                encodings.insert(entry.encoding)
            }
        }
        return encodings
    }

    @Test(arguments: [WriterOptions.DataPageVersion.v1, .v2])
    func eventTimesTakeDeltaAndReadBack(version: WriterOptions.DataPageVersion) throws {
        let schema = try ParquetSchema([.timestamp("time"), .int32("sequence", .required)])
        let (times, levels) = Self.eventTimes(200_000, seed: 3)
        var random = SplitMix64(seed: 6)
        var next: Int32 = 0
        let sequence = (0..<levels.count).map { _ in
            next += Int32(random.next() % 100)
            return next
        }
        let batches = [
            ColumnBatch(values: .int64(times), definitionLevels: levels), ColumnBatch(values: .int32(sequence)),
        ]
        let reader = try Self.write(schema, batches) { $0.dataPageVersion = version }
        #expect(Self.dataPageEncodings(reader, column: 0) == [.deltaBinaryPacked])
        #expect(Self.dataPageEncodings(reader, column: 1) == [.deltaBinaryPacked])
        let time = try reader.readColumn(rowGroup: 0, column: 0)
        #expect(sameValues(time.values, .int64(times)))
        #expect(time.definitionLevels == levels)
        #expect(sameValues(try reader.readColumn(rowGroup: 0, column: 1).values, .int32(sequence)))
        let plain = try Self.write(schema, batches) {
            $0.dataPageVersion = version
            $0.integerEncodingTrial = false
        }
        #expect(Self.dataPageEncodings(plain, column: 0) == [.plain])
        #expect(
            reader.metadata.rowGroups[0].columns[0].compressedSize
                < plain.metadata.rowGroups[0].columns[0].compressedSize
        )
    }

    /// The trial runs on the first plain page after a dictionary fallback, and later row groups keep its
    /// choice.
    @Test func choiceOutlivesTheDictionaryAndTheRowGroup() throws {
        let schema = try ParquetSchema([.timestamp("time", .required)])
        var times = Self.eventTimes(300_000, seed: 8).values
        times.sort()
        let reader = try Self.write(schema, [ColumnBatch(values: .int64(times))]) {
            $0.dictionaryEnabled = true
            $0.rowGroupMaxRows = 100_000
        }
        #expect(reader.metadata.rowGroups.count == 3)
        #expect(Self.dataPageEncodings(reader, column: 0) == [.deltaBinaryPacked])
        var read: [Int64] = []
        for group in 0..<3 {
            guard case .int64(let values) = try reader.readColumn(rowGroup: group, column: 0).values else {
                Issue.record("not INT64")
                return
            }
            read += values
        }
        #expect(read == times)
    }

    @Test func valuesThatPlainCompressesBetterStayPlain() throws {
        let schema = try ParquetSchema([.int64("value", .required)])
        let values = Self.repeatedPattern(100_000)
        let reader = try Self.write(schema, [ColumnBatch(values: .int64(values))])
        #expect(Self.dataPageEncodings(reader, column: 0) == [.plain])
        #expect(sameValues(try reader.readColumn(rowGroup: 0, column: 0).values, .int64(values)))
    }

    /// A column given an encoding of its own, PLAIN included, is not tried.
    @Test func columnEncodingWins() throws {
        let schema = try ParquetSchema([.timestamp("time", .required)])
        let times = Self.eventTimes(100_000, seed: 4).values
        let reader = try Self.write(schema, [ColumnBatch(values: .int64(times))]) {
            $0.columns["time"] = ColumnOptions(encoding: .plain)
        }
        #expect(Self.dataPageEncodings(reader, column: 0) == [.plain])
    }

    /// The re-encoding of PLAIN bytes is the encoder's DELTA encoding of the same values.
    @Test func reencodingMatchesTheEncoder() throws {
        let values: [Int64] = [5, -3, Int64.max, Int64.min, 0, 42] + (0..<300).map { Int64($0 * $0) }
        var plain: [UInt8] = []
        for value in values { withUnsafeBytes(of: value.littleEndian) { plain += $0 } }
        var reencoded: [UInt8] = [9]
        try DeltaEncodingTrial.encodeDelta(plain: plain[...], width: 8, into: &reencoded)
        var direct: [UInt8] = [9]
        values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &direct) }
        #expect(reencoded == direct)
        let small: [Int32] = [7, Int32.min, Int32.max, -1] + (0..<200).map { Int32($0) * 3 }
        var plain32: [UInt8] = []
        for value in small { withUnsafeBytes(of: value.littleEndian) { plain32 += $0 } }
        var reencoded32: [UInt8] = []
        try DeltaEncodingTrial.encodeDelta(plain: plain32[...], width: 4, into: &reencoded32)
        var direct32: [UInt8] = []
        small.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &direct32) }
        #expect(reencoded32 == direct32)
    }
}
