import Foundation
import Testing

@testable import Parquet

/// Reads the chunk of `column` in row group `rowGroup` as the file reader will: from `startOffset`, at most
/// `compressedSize` bytes and never past the end of the file.
func readColumnChunk(
    _ file: [UInt8],
    _ metadata: ParquetFileMetadata,
    rowGroup: Int = 0,
    column: Int,
    options: ReaderOptions = ReaderOptions()
) throws(ParquetError) -> (batch: ColumnBatch, rows: Int) {
    let chunk = metadata.rowGroups[rowGroup].columns[column]
    let start = Int(chunk.startOffset)
    guard start >= 0, start <= file.count, chunk.compressedSize >= 0 else {
        throw ParquetError(.corrupt, "column \(chunk.column.dottedPath): chunk offset \(start) outside the file")
    }
    let end = start + min(Int(chunk.compressedSize), file.count - start)
    let reader = ColumnChunkReader(chunk: chunk, options: options)
    return try file.withUnsafeBufferPointer { (buffer) throws(ParquetError) in
        try reader.read(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[start..<end])))
    }
}

/// Values compared exactly, floating point by bit pattern.
func sameValues(_ left: ColumnValues, _ right: ColumnValues) -> Bool {
    switch (left, right) {
    case (.boolean(let a), .boolean(let b)): a == b
    case (.int32(let a), .int32(let b)): a == b
    case (.int64(let a), .int64(let b)): a == b
    case (.float(let a), .float(let b)): a.map(\.bitPattern) == b.map(\.bitPattern)
    case (.double(let a), .double(let b)): a.map(\.bitPattern) == b.map(\.bitPattern)
    case (.byteArray(let a), .byteArray(let b)): a == b
    case (.fixedLenByteArray(let a), .fixedLenByteArray(let b)): a == b
    default: false
    }
}

@Suite struct ColumnChunkReaderTests {
    // MARK: Round trips through the writer

    enum Kind: String, CaseIterable, Sendable {
        case boolean, int32, int64, int96, float, double, byteArray, fixedLenByteArray
    }

    static let codecs: [Compression] = [.uncompressed, .snappy, .zstd, .gzip, .lz4Raw, .brotli]

    static func field(_ kind: Kind, _ name: String, _ repetition: Repetition) -> Field {
        switch kind {
        case .boolean: .boolean(name, repetition)
        case .int32: .int32(name, repetition)
        case .int64: .int64(name, repetition)
        case .int96: .int96(name, repetition)
        case .float: .float(name, repetition)
        case .double: .double(name, repetition)
        case .byteArray: .string(name, repetition)
        case .fixedLenByteArray: .fixedLengthBinary(name, length: 5, repetition)
        }
    }

    /// `count` values of `kind`; `distinct` bounds how many different values appear.
    static func values(_ kind: Kind, count: Int, distinct: Int, seed: UInt64) -> ColumnValues {
        var random = SplitMix64(seed: seed)
        let picks = (0..<count).map { _ in Int(random.next() % UInt64(distinct)) }
        switch kind {
        case .boolean: return .boolean(picks.map { $0 % 3 == 0 })
        case .int32: return .int32(picks.map { Int32($0) &* 7919 &- 100_000 })
        case .int64: return .int64(picks.map { Int64($0) &* 1_000_000_007 &- (1 << 40) })
        case .float: return .float(picks.map { Float($0) * 0.25 - 3 })
        case .double: return .double(picks.map { Double($0) * 1.5e-3 - 7 })
        case .byteArray:
            return .byteArray(ByteArrayBuffer(picks.map { "value-\($0)-" + String(repeating: "x", count: $0 % 13) }))
        case .int96, .fixedLenByteArray:
            let width = kind == .int96 ? 12 : 5
            var buffer = ByteArrayBuffer()
            for pick in picks {
                buffer.append((0..<width).map { UInt8(truncatingIfNeeded: pick &* 31 &+ $0 &* 7) })
            }
            return .fixedLenByteArray(buffer)
        }
    }

    /// An optional column with about one null in five, and a required one, written and read back.
    static func roundTrip(
        _ kind: Kind,
        options: WriterOptions,
        rows: Int = 3000,
        distinct: Int = 40,
        columnOptions: ColumnOptions? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var random = SplitMix64(seed: 42)
        let definitions: [UInt8] = (0..<rows).map { _ in random.next() % 5 == 0 ? 0 : 1 }
        let present = definitions.reduce(0) { $0 + Int($1) }
        let optionalBatch = ColumnBatch(
            values: values(kind, count: present, distinct: distinct, seed: 1),
            definitionLevels: definitions
        )
        let requiredBatch = ColumnBatch(values: values(kind, count: rows, distinct: distinct, seed: 2))
        let schema = try ParquetSchema([field(kind, "optional", .optional), field(kind, "required", .required)])
        var options = options
        if let columnOptions {
            options.columns["optional"] = columnOptions
            options.columns["required"] = columnOptions
        }
        let writer = try ParquetFileWriter(schema: schema, options: options, sink: MemorySink())
        try writer.write([optionalBatch, requiredBatch])
        _ = try writer.finish()
        let file = writer.sink.bytes
        let metadata = try ParquetFileMetadata.parse(fileBytes: file)
        var readRows = 0
        var optionalValues: [ColumnValues] = []
        var optionalLevels: [UInt8] = []
        var requiredValues: [ColumnValues] = []
        for group in metadata.rowGroups.indices {
            let optional = try readColumnChunk(file, metadata, rowGroup: group, column: 0)
            let required = try readColumnChunk(file, metadata, rowGroup: group, column: 1)
            #expect(optional.rows == required.rows, sourceLocation: sourceLocation)
            #expect(required.batch.definitionLevels.isEmpty, sourceLocation: sourceLocation)
            #expect(optional.batch.repetitionLevels.isEmpty, sourceLocation: sourceLocation)
            readRows += optional.rows
            optionalValues.append(optional.batch.values)
            optionalLevels += optional.batch.definitionLevels
            requiredValues.append(required.batch.values)
        }
        #expect(readRows == rows, sourceLocation: sourceLocation)
        #expect(optionalLevels == definitions, sourceLocation: sourceLocation)
        #expect(sameValues(concatenate(optionalValues), optionalBatch.values), sourceLocation: sourceLocation)
        #expect(sameValues(concatenate(requiredValues), requiredBatch.values), sourceLocation: sourceLocation)
    }

    static func concatenate(_ parts: [ColumnValues]) -> ColumnValues {
        guard var result = parts.first else { return .int32([]) }
        for part in parts.dropFirst() {
            switch (result, part) {
            case (.boolean(let a), .boolean(let b)): result = .boolean(a + b)
            case (.int32(let a), .int32(let b)): result = .int32(a + b)
            case (.int64(let a), .int64(let b)): result = .int64(a + b)
            case (.float(let a), .float(let b)): result = .float(a + b)
            case (.double(let a), .double(let b)): result = .double(a + b)
            case (.byteArray(var a), .byteArray(let b)):
                for index in 0..<b.count { a.append(b[index]) }
                result = .byteArray(a)
            case (.fixedLenByteArray(var a), .fixedLenByteArray(let b)):
                for index in 0..<b.count { a.append(b[index]) }
                result = .fixedLenByteArray(a)
            default: return .int32([])
            }
        }
        return result
    }

    struct Matrix: CustomTestStringConvertible, Sendable {
        var kind: Kind
        var version: WriterOptions.DataPageVersion
        var dictionary: Bool
        var testDescription: String { "\(kind) \(version) dictionary \(dictionary)" }
    }

    static let matrix: [Matrix] = Kind.allCases.flatMap { kind in
        [WriterOptions.DataPageVersion.v1, .v2].flatMap { version in
            [false, true].map { Matrix(kind: kind, version: version, dictionary: $0) }
        }
    }

    @Test(arguments: matrix)
    func roundTripsEveryTypeAndCodec(_ entry: Matrix) throws {
        for codec in Self.codecs {
            var options = WriterOptions()
            options.compression = codec
            options.dataPageVersion = entry.version
            options.dictionaryEnabled = entry.dictionary
            options.dataPageRowLimit = 700
            try Self.roundTrip(entry.kind, options: options)
        }
    }

    static let encodings: [(Kind, Encoding)] = [
        (.int32, .deltaBinaryPacked), (.int64, .deltaBinaryPacked),
        (.byteArray, .deltaLengthByteArray), (.byteArray, .deltaByteArray), (.fixedLenByteArray, .deltaByteArray),
        (.float, .byteStreamSplit), (.double, .byteStreamSplit), (.int32, .byteStreamSplit),
        (.int64, .byteStreamSplit), (.fixedLenByteArray, .byteStreamSplit), (.boolean, .rle),
    ]

    @Test func roundTripsOptionalEncodings() throws {
        for (kind, encoding) in Self.encodings {
            for version in [WriterOptions.DataPageVersion.v1, .v2] {
                for codec in [Compression.uncompressed, .zstd] {
                    var options = WriterOptions()
                    options.dataPageVersion = version
                    options.compression = codec
                    options.dataPageRowLimit = 500
                    // Distinct values make a wide range of deltas and prefixes.
                    try Self.roundTrip(
                        kind,
                        options: options,
                        distinct: 100_000,
                        columnOptions: ColumnOptions(dictionaryEnabled: false, encoding: encoding)
                    )
                    // Dictionary first, then fallback to the encoding mid-chunk.
                    options.dictionaryPageSizeLimit = 256
                    try Self.roundTrip(
                        kind,
                        options: options,
                        distinct: 100_000,
                        columnOptions: ColumnOptions(encoding: encoding)
                    )
                }
            }
        }
    }

    @Test func roundTripsDictionaryFallbackAndManyRowGroups() throws {
        for kind in Kind.allCases where kind != .boolean {
            for version in [WriterOptions.DataPageVersion.v1, .v2] {
                var options = WriterOptions()
                options.dataPageVersion = version
                options.dictionaryPageSizeLimit = 512
                options.dataPageRowLimit = 100
                options.rowGroupMaxRows = 1000
                try Self.roundTrip(kind, options: options, rows: 5000, distinct: 4000)
            }
        }
    }

    @Test func roundTripsNestedColumns() throws {
        let schema = try ParquetSchema([
            .int64("id", .required),
            .list("tags", element: .string("tag")),
            .group("point", [.double("x", .required), .list("ys", element: .int32("y", .optional))]),
            .map("attributes", key: .string("key"), value: .list("values", element: .int64("v"))),
        ])
        var random = SplitMix64(seed: 7)
        var shredder = RecordShredder(schema: schema)
        for id in 0..<2500 {
            var record: [String: ParquetValue] = ["id": .int64(Int64(id))]
            switch random.next() % 4 {
            case 0: record["tags"] = .null
            case 1: record["tags"] = .list([])
            default:
                record["tags"] = .list(
                    (0..<Int(random.next() % 5)).map { index in
                        index == 2 ? .null : .string("t\(random.next() % 50)")
                    }
                )
            }
            if random.next() % 5 != 0 {
                let ys: ParquetValue =
                    random.next() % 3 == 0
                    ? .null
                    : .list(
                        (0..<Int(random.next() % 4)).map { _ in
                            random.next() % 4 == 0 ? .null : .int32(Int32(random.next() % 1000))
                        }
                    )
                record["point"] = .group(["x": .double(Double(id) / 3), "ys": ys])
            }
            if random.next() % 3 != 0 {
                record["attributes"] = .map(
                    (0..<Int(random.next() % 3)).map { entry in
                        ParquetValue.MapEntry(
                            .string("k\(entry)"),
                            random.next() % 4 == 0
                                ? .null
                                : .list((0..<Int(random.next() % 3)).map { _ in .int64(Int64(random.next() % 100)) })
                        )
                    }
                )
            }
            try shredder.append(record)
        }
        let batches = shredder.makeBatches()
        for version in [WriterOptions.DataPageVersion.v1, .v2] {
            for dictionary in [false, true] {
                var options = WriterOptions()
                options.dataPageVersion = version
                options.dictionaryEnabled = dictionary
                options.dataPageRowLimit = 300
                options.compression = .zstd
                let writer = try ParquetFileWriter(schema: schema, options: options, sink: MemorySink())
                try writer.write(batches)
                _ = try writer.finish()
                let file = writer.sink.bytes
                let metadata = try ParquetFileMetadata.parse(fileBytes: file)
                #expect(metadata.rowGroups.count == 1)
                for (index, written) in batches.enumerated() {
                    let (batch, rows) = try readColumnChunk(file, metadata, column: index)
                    let column = metadata.schema.columns[index]
                    #expect(rows == 2500, "\(column.dottedPath)")
                    #expect(batch.definitionLevels == written.definitionLevels, "\(column.dottedPath)")
                    #expect(batch.repetitionLevels == written.repetitionLevels, "\(column.dottedPath)")
                    #expect(sameValues(batch.values, written.values), "\(column.dottedPath)")
                }
            }
        }
    }

    @Test func verifiesWrittenChecksumsAndReportsCorruption() throws {
        var options = WriterOptions()
        options.pageChecksums = true
        options.dataPageRowLimit = 100
        let writer = try ParquetFileWriter(
            schema: try ParquetSchema([.int64("id")]),
            options: options,
            sink: MemorySink()
        )
        try writer.write([
            ColumnBatch(values: .int64(Array(0..<1000)), definitionLevels: Array(repeating: 1, count: 1000))
        ])
        _ = try writer.finish()
        var file = writer.sink.bytes
        let metadata = try ParquetFileMetadata.parse(fileBytes: file)
        var verify = ReaderOptions()
        verify.verifyChecksums = true
        #expect(try readColumnChunk(file, metadata, column: 0, options: verify).rows == 1000)
        // Flip a byte inside the last page's values.
        let chunk = metadata.rowGroups[0].columns[0]
        let last = Int(chunk.startOffset + chunk.compressedSize) - 3
        file[last] ^= 0x55
        #expect(throws: ParquetError.self) { try readColumnChunk(file, metadata, column: 0, options: verify) }
        let error = thrownParquetError { _ = try readColumnChunk(file, metadata, column: 0, options: verify) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("CRC mismatch") == true)
        #expect(error?.message.contains("of column id") == true)
    }

    @Test func refusesPagesAboveTheLimitAndTruncatedChunks() throws {
        var options = WriterOptions()
        options.integerEncodingTrial = false  // a PLAIN page of 80 KB
        let writer = try ParquetFileWriter(
            schema: try ParquetSchema([.int64("id", .required)]),
            options: options,
            sink: MemorySink()
        )
        try writer.write([ColumnBatch(values: .int64(Array(0..<10_000)))])
        _ = try writer.finish()
        let file = writer.sink.bytes
        let metadata = try ParquetFileMetadata.parse(fileBytes: file)
        var small = ReaderOptions()
        small.maximumPageSize = 1000
        #expect(
            thrownParquetError { _ = try readColumnChunk(file, metadata, column: 0, options: small) }?.code
                == .limitExceeded
        )
        // Every truncation of the chunk fails cleanly.
        let chunk = metadata.rowGroups[0].columns[0]
        let start = Int(chunk.startOffset)
        let reader = ColumnChunkReader(chunk: chunk, options: ReaderOptions())
        for length in stride(from: 0, to: Int(chunk.compressedSize), by: 97) {
            let error = thrownParquetError {
                _ = try file.withUnsafeBytes {
                    try reader.read(UnsafeRawBufferPointer(rebasing: $0[start..<start + length]))
                }
            }
            #expect(error != nil, "length \(length)")
        }
    }

    @Test func parsesFootersAndRejectsBadMagic() throws {
        #expect(
            thrownParquetError { _ = try ParquetFileMetadata.parse(fileBytes: Array("PAR1xxxxxxxxPARE".utf8)) }?.code
                == .unsupported
        )
        #expect(
            thrownParquetError { _ = try ParquetFileMetadata.parse(fileBytes: Array("PAR1xxxxxxxxPAR2".utf8)) }?.code
                == .corrupt
        )
        #expect(
            thrownParquetError {
                _ = try ParquetFileMetadata.parse(
                    fileBytes: [0x50, 0x41, 0x52, 0x31, 0xFF, 0xFF, 0xFF, 0x7F] + Array("xxxxPAR1".utf8)
                )
            }?.code == .corrupt
        )
        #expect(
            thrownParquetError { _ = try ParquetFileMetadata.parse(fileBytes: Array("PAR1".utf8)) }?.code == .corrupt
        )
    }
}

// MARK: - apache/parquet-testing

extension ColumnChunkReaderTests {
    /// `parquet-testing/`, in the `shared` folder beside the repository root.
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("../../../shared/parquet-testing")
        .standardizedFileURL
    static let isCI = ProcessInfo.processInfo.environment["CI"] != nil
    static let corpusIsAvailable = FileManager.default.fileExists(atPath: corpus.appendingPathComponent("data").path)

    /// The bytes of `name` (relative to `parquet-testing/`), or nil (with an issue under CI) when the corpus is
    /// missing.
    static func corpusFile(_ name: String) throws -> [UInt8]? {
        guard corpusIsAvailable else {
            if isCI { Issue.record("missing \(corpus.path); CI must provide the parquet-testing corpus") }
            return nil
        }
        return [UInt8](try Data(contentsOf: corpus.appendingPathComponent(name)))
    }

    /// Every column chunk of the file, read with `options`.
    static func readAll(
        _ name: String,
        options: ReaderOptions = ReaderOptions()
    ) throws -> (metadata: ParquetFileMetadata, chunks: [[(batch: ColumnBatch, rows: Int)]])? {
        guard let file = try corpusFile(name) else { return nil }
        let metadata = try ParquetFileMetadata.parse(fileBytes: file)
        var chunks: [[(batch: ColumnBatch, rows: Int)]] = []
        for group in metadata.rowGroups.indices {
            var columns: [(batch: ColumnBatch, rows: Int)] = []
            for column in metadata.rowGroups[group].columns.indices {
                let result = try readColumnChunk(file, metadata, rowGroup: group, column: column, options: options)
                #expect(Int64(result.rows) == metadata.rowGroups[group].rowCount, "\(name) column \(column)")
                columns.append(result)
            }
            chunks.append(columns)
        }
        return (metadata, chunks)
    }

    static func strings(_ values: ColumnValues) -> [String] {
        switch values {
        case .byteArray(let buffer), .fixedLenByteArray(let buffer):
            return (0..<buffer.count).map { String(decoding: buffer[$0], as: UTF8.self) }
        default:
            return []
        }
    }

    static let corpusTrait = Testing.ConditionTrait.enabled(
        if: corpusIsAvailable || isCI,
        "needs ../shared/parquet-testing"
    )

    @Test(corpusTrait) func readsAlltypesPlainAndDictionary() throws {
        guard let (_, plain) = try Self.readAll("data/alltypes_plain.parquet") else { return }
        let columns = plain[0]
        #expect(columns.count == 11)
        guard case .int32(let ids) = columns[0].batch.values else {
            Issue.record("id")
            return
        }
        #expect(ids == [4, 5, 6, 7, 2, 3, 0, 1])
        guard case .boolean(let bools) = columns[1].batch.values else {
            Issue.record("bool_col")
            return
        }
        #expect(bools.prefix(4) == [true, false, true, false])
        guard case .int64(let bigints) = columns[5].batch.values else {
            Issue.record("bigint_col")
            return
        }
        #expect(bigints.prefix(4) == [0, 10, 0, 10])
        guard case .float(let floats) = columns[6].batch.values else {
            Issue.record("float_col")
            return
        }
        #expect(floats.prefix(2) == [0, 1.1])
        guard case .double(let doubles) = columns[7].batch.values else {
            Issue.record("double_col")
            return
        }
        #expect(doubles.prefix(2) == [0, 10.1])
        #expect(Self.strings(columns[8].batch.values).prefix(3) == ["03/01/09", "03/01/09", "04/01/09"])
        guard case .fixedLenByteArray(let timestamps) = columns[10].batch.values else {
            Issue.record("int96")
            return
        }
        #expect(timestamps.count == 8)
        #expect(timestamps.length(at: 0) == 12)

        guard let (_, dictionary) = try Self.readAll("data/alltypes_dictionary.parquet") else { return }
        guard case .int32(let dictionaryIDs) = dictionary[0][0].batch.values else {
            Issue.record("id")
            return
        }
        #expect(dictionaryIDs == [0, 1])
        #expect(Self.strings(dictionary[0][9].batch.values) == ["0", "1"])
        guard case .fixedLenByteArray(let dictionaryTimestamps) = dictionary[0][10].batch.values else { return }
        #expect(dictionaryTimestamps.count == 2)
    }

    @Test(corpusTrait) func readsDataPageV2() throws {
        guard let (_, groups) = try Self.readAll("data/datapage_v2.snappy.parquet") else { return }
        let columns = groups[0]
        #expect(Self.strings(columns[0].batch.values) == ["abc", "abc", "abc", "abc"])
        #expect(columns[0].batch.definitionLevels == [1, 1, 1, 0, 1])
        guard case .int32(let b) = columns[1].batch.values else {
            Issue.record("b")
            return
        }
        #expect(b == [1, 2, 3, 4, 5])
        guard case .double(let c) = columns[2].batch.values else {
            Issue.record("c")
            return
        }
        #expect(c == [2, 3, 4, 5, 2])
        guard case .boolean(let d) = columns[3].batch.values else {
            Issue.record("d")
            return
        }
        #expect(d == [true, true, true, false, true])
        guard case .int32(let e) = columns[4].batch.values else {
            Issue.record("e")
            return
        }
        #expect(e == [1, 2, 3, 1, 2, 3, 1, 2])
        #expect(columns[4].rows == 5)
        #expect(columns[4].batch.repetitionLevels.count == 10)
    }

    @Test(corpusTrait) func readsDeltaBinaryPacked() throws {
        guard let (metadata, groups) = try Self.readAll("data/delta_binary_packed.parquet"),
            let csv = try Self.corpusFile("data/delta_binary_packed_expect.csv")
        else { return }
        let lines = String(decoding: csv, as: UTF8.self).split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.count == 200)
        for (index, column) in metadata.schema.columns.enumerated() {
            guard let csvIndex = header.firstIndex(of: column.dottedPath) else {
                Issue.record("no CSV column \(column.dottedPath)")
                continue
            }
            let expected = rows.map { Int64($0[csvIndex]) ?? 0 }
            switch groups[0][index].batch.values {
            case .int32(let values): #expect(values.map(Int64.init) == expected, "\(column.dottedPath)")
            case .int64(let values): #expect(values == expected, "\(column.dottedPath)")
            default: Issue.record("\(column.dottedPath) is not an integer column")
            }
        }
    }

    @Test(corpusTrait) func readsDeltaByteArrays() throws {
        guard let (_, lengths) = try Self.readAll("data/delta_length_byte_array.parquet") else { return }
        let fruit = Self.strings(lengths[0][0].batch.values)
        #expect(fruit.count == 1000)
        #expect(
            fruit.prefix(4) == [
                "apple_banana_mango0", "apple_banana_mango1", "apple_banana_mango4", "apple_banana_mango9",
            ]
        )

        guard let (_, prefixed) = try Self.readAll("data/delta_byte_array.parquet") else { return }
        #expect(
            Self.strings(prefixed[0][0].batch.values).prefix(3) == [
                "AAAAAAAAIODAAAAA", "AAAAAAAAHODAAAAA", "AAAAAAAAGODAAAAA",
            ]
        )
        #expect(prefixed[0][1].batch.definitionLevels.filter { $0 == 0 }.count == 30)
        #expect(Self.strings(prefixed[0][1].batch.values).prefix(4) == ["Sir", "Mrs.", "Ms.", "Sir"])
        #expect(prefixed[0][6].batch.values.count == 0)
        #expect(Self.strings(prefixed[0][7].batch.values).first == "Mark.Bailey@rg9qCNVJ0s7qeY.com")
    }

    @Test(corpusTrait) func readsByteStreamSplitAndRLEBooleans() throws {
        guard let (_, split) = try Self.readAll("data/byte_stream_split.zstd.parquet") else { return }
        guard case .float(let f32) = split[0][0].batch.values, case .double(let f64) = split[0][1].batch.values else {
            Issue.record("types")
            return
        }
        #expect(f32.count == 300 && f64.count == 300)
        #expect(f32.prefix(2) == [1.764052391052246, 0.40015721321105957])
        #expect(f64.prefix(2) == [-1.3065268517353166, 1.658130679618188])

        guard let (_, booleans) = try Self.readAll("data/rle_boolean_encoding.parquet") else { return }
        guard case .boolean(let values) = booleans[0][0].batch.values else {
            Issue.record("boolean")
            return
        }
        #expect(values.count == 62)
        #expect(booleans[0][0].batch.definitionLevels.prefix(4) == [1, 1, 0, 1])
        #expect(values.prefix(3) == [true, false, true])
    }

    @Test(corpusTrait) func readsEveryCodec() throws {
        for name in ["data/hadoop_lz4_compressed.parquet", "data/lz4_raw_compressed.parquet"] {
            guard let (_, groups) = try Self.readAll(name) else { return }
            guard case .int64(let c0) = groups[0][0].batch.values, case .double(let v11) = groups[0][2].batch.values
            else {
                Issue.record("\(name): types")
                continue
            }
            #expect(c0 == [1_593_604_800, 1_593_604_800, 1_593_604_801, 1_593_604_801], "\(name)")
            #expect(Self.strings(groups[0][1].batch.values) == ["abc", "def", "abc", "def"], "\(name)")
            #expect(v11 == [42.0, 7.7, 42.125, 7.7], "\(name)")
        }
        guard let (_, gzip) = try Self.readAll("data/concatenated_gzip_members.parquet") else { return }
        guard case .int64(let longs) = gzip[0][0].batch.values else {
            Issue.record("long_col")
            return
        }
        #expect(longs == Array(1...513))
    }

    @Test(corpusTrait) func readsEmptyPagesAndOddOffsets() throws {
        guard let (_, empty) = try Self.readAll("data/datapage_v2_empty_datapage.snappy.parquet") else { return }
        #expect(empty[0][0].rows == 1)
        #expect(empty[0][0].batch.values.count == 0)
        #expect(empty[0][0].batch.definitionLevels == [0])

        guard let (_, compressed) = try Self.readAll("data/page_v2_empty_compressed.parquet") else { return }
        #expect(compressed[0][0].rows == 10)
        #expect(compressed[0][0].batch.values.count == 0)

        guard let (_, zero) = try Self.readAll("data/dict-page-offset-zero.parquet") else { return }
        guard case .int32(let keys) = zero[0][0].batch.values else {
            Issue.record("l_partkey")
            return
        }
        #expect(keys.count == 39)
        #expect(keys.prefix(4) == [1552, 1552, 1552, 1552])

        guard let (_, widthZero) = try Self.readAll("bad_data/ARROW-GH-43605.parquet") else { return }
        guard case .int32(let minimum) = widthZero[0][0].batch.values else {
            Issue.record("min_fl")
            return
        }
        #expect(widthZero[0][0].rows == 21_186)
        #expect(minimum.prefix(4) == [0, 0, 0, 0])
    }

    @Test(corpusTrait) func verifiesChecksumsOnRequest() throws {
        var verify = ReaderOptions()
        verify.verifyChecksums = true
        guard let (_, good) = try Self.readAll("data/datapage_v1-snappy-compressed-checksum.parquet", options: verify)
        else { return }
        guard case .int32(let a) = good[0][0].batch.values else {
            Issue.record("a")
            return
        }
        #expect(a.prefix(2) == [50_462_976, 117_835_012])

        guard let (_, corrupt) = try Self.readAll("data/datapage_v1-corrupt-checksum.parquet") else { return }
        #expect(corrupt[0][0].rows == 5120)
        let error = thrownParquetError {
            _ = try Self.readAll("data/datapage_v1-corrupt-checksum.parquet", options: verify)
        }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("CRC mismatch") == true)
    }

    struct BadFile: CustomTestStringConvertible, Sendable {
        var name: String
        var message: String
        var testDescription: String { name }
    }

    static let badFiles: [BadFile] = [
        BadFile(name: "ARROW-RS-GH-6229-DICTHEADER", message: "negative num_values"),
        BadFile(name: "ARROW-RS-GH-6229-LEVELS", message: "fewer levels than num_values"),
        BadFile(name: "ARROW-GH-41321", message: "fewer levels than num_values"),
        BadFile(name: "ARROW-GH-45185", message: "first repetition level"),
        BadFile(name: "ARROW-GH-47662", message: "unexpected end of page"),
    ]

    @Test(corpusTrait, arguments: badFiles)
    func rejectsBadDataAtTheColumnLevel(_ bad: BadFile) throws {
        guard let file = try Self.corpusFile("bad_data/\(bad.name).parquet") else { return }
        let metadata = try ParquetFileMetadata.parse(fileBytes: file)
        var errors: [ParquetError] = []
        for group in metadata.rowGroups.indices {
            for column in metadata.rowGroups[group].columns.indices {
                if let error = thrownParquetError({
                    _ = try readColumnChunk(file, metadata, rowGroup: group, column: column)
                }) {
                    errors.append(error)
                }
            }
        }
        #expect(!errors.isEmpty)
        #expect(errors.contains { $0.message.contains(bad.message) }, "\(errors.map(\.message))")
        #expect(errors.allSatisfy { $0.message.contains("column ") }, "\(errors.map(\.message))")
    }
}

// MARK: - Hand-made pages

extension ColumnChunkReaderTests {
    /// The chunk metadata of an optional INT32 column `x` (maxDef 1), uncompressed, holding `valueCount` levels.
    static func optionalInt32Chunk(valueCount: Int64) throws -> ColumnChunkMetadata {
        var options = WriterOptions()
        options.compression = .uncompressed
        let writer = try ParquetFileWriter(
            schema: try ParquetSchema([.int32("x")]),
            options: options,
            sink: MemorySink()
        )
        try writer.write([ColumnBatch(values: .int32([1]), definitionLevels: [1])])
        _ = try writer.finish()
        var chunk = try ParquetFileMetadata.parse(fileBytes: writer.sink.bytes).rowGroups[0].columns[0]
        chunk.valueCount = valueCount
        return chunk
    }

    static func page(
        _ type: PageType,
        body: [UInt8],
        data: DataPageHeader? = nil,
        dictionary: DictionaryPageHeader? = nil
    ) -> [UInt8] {
        let header = PageHeader(
            type: type,
            uncompressedPageSize: Int32(body.count),
            compressedPageSize: Int32(body.count),
            dataPageHeader: data,
            dictionaryPageHeader: dictionary
        )
        return header.thriftBytes() + body
    }

    /// Dictionary [10, 20].
    static let dictionaryPage = page(
        .dictionaryPage,
        body: [10, 0, 0, 0, 20, 0, 0, 0],
        dictionary: DictionaryPageHeader(numValues: 2)
    )

    /// A V1 data page of 4 slots with definition levels [1, 1, 0, 1] (one bit-packed group) and `values`.
    static func dataPage(
        encoding: Encoding,
        values: [UInt8],
        slots: Int32 = 4,
        levels: [UInt8] = [2, 0, 0, 0, 0x03, 0x0B]
    ) -> [UInt8] {
        return page(.dataPage, body: levels + values, data: DataPageHeader(numValues: slots, encoding: encoding))
    }

    static func read(
        _ pages: [UInt8],
        valueCount: Int64 = 4,
        options: ReaderOptions = ReaderOptions()
    ) throws -> (batch: ColumnBatch, rows: Int) {
        let reader = ColumnChunkReader(chunk: try optionalInt32Chunk(valueCount: valueCount), options: options)
        return try pages.withUnsafeBytes { try reader.read($0) }
    }

    static func failure(_ pages: [UInt8], valueCount: Int64 = 4) -> String {
        thrownParquetError { _ = try read(pages, valueCount: valueCount) }.map { "\($0.code): \($0.message)" }
            ?? "no error"
    }

    @Test func resolvesDictionaryIndicesAndSkipsIndexPages() throws {
        // Bit width 1, one bit-packed group holding indices [1, 0, 1].
        let pages =
            Self.dictionaryPage + Self.page(.indexPage, body: [1, 2, 3])
            + Self.dataPage(encoding: .plainDictionary, values: [1, 0x03, 0x05])
        let (batch, rows) = try Self.read(pages)
        #expect(rows == 4)
        #expect(batch.definitionLevels == [1, 1, 0, 1])
        guard case .int32(let values) = batch.values else {
            Issue.record("type")
            return
        }
        #expect(values == [20, 10, 20])
        // Bit width 0: every index is 0 (an RLE run of 3).
        let zero = try Self.read(Self.dictionaryPage + Self.dataPage(encoding: .rleDictionary, values: [0, 0x06]))
        guard case .int32(let zeros) = zero.batch.values else {
            Issue.record("type")
            return
        }
        #expect(zeros == [10, 10, 10])
    }

    @Test func rejectsMalformedPages() throws {
        func failure(_ pages: [UInt8], valueCount: Int64 = 4) -> String { Self.failure(pages, valueCount: valueCount) }
        #expect(
            failure(Self.dictionaryPage + Self.dataPage(encoding: .rleDictionary, values: [33, 0x06, 0, 0, 0, 0]))
                == "corrupt: page 1 of column x: bit width 33 > 32"
        )
        // Index 2 in a 2-entry dictionary (bit width 2: 1, 0, 2).
        #expect(
            failure(Self.dictionaryPage + Self.dataPage(encoding: .rleDictionary, values: [2, 0x03, 0x21, 0]))
                .contains("dictionary index 2 out of range")
        )
        #expect(
            failure(Self.dataPage(encoding: .rleDictionary, values: [1, 0x03, 0x05]))
                .contains("without a dictionary page")
        )
        #expect(
            failure(
                Self.dataPage(encoding: .plain, values: Array(repeating: 1, count: 12)) + Self.dictionaryPage,
                valueCount: 8
            )
                == "corrupt: page 1 of column x: dictionary page after a data page"
        )
        #expect(
            failure(Self.dictionaryPage + Self.dictionaryPage).contains("page 1 of column x: second dictionary page")
        )
        // Three values present, two stored.
        #expect(
            failure(Self.dataPage(encoding: .plain, values: [1, 0, 0, 0, 2, 0, 0, 0])).contains(
                "unexpected end of page"
            )
        )
        // The chunk claims more levels than its pages hold, or fewer.
        #expect(
            failure(Self.dataPage(encoding: .plain, values: Array(repeating: 1, count: 12)), valueCount: 5)
                .contains("the chunk ends after 4 of 5 values")
        )
        #expect(
            failure(Self.dataPage(encoding: .plain, values: Array(repeating: 1, count: 12)), valueCount: 3)
                .contains("takes the chunk past its 3 values")
        )
        // Fewer levels than num_values: one RLE run of 4 levels for 8 slots.
        let shortLevels = Self.dataPage(encoding: .plain, values: [], slots: 8, levels: [2, 0, 0, 0, 0x08, 0x01])
        #expect(
            failure(shortLevels, valueCount: 8)
                .contains("page 0 of column x: fewer levels than num_values")
        )
        // A header cut short, and a body running past the chunk.
        let page = Self.dataPage(encoding: .plain, values: Array(repeating: 1, count: 12))
        #expect(failure(Array(page.prefix(5))).hasPrefix("corrupt: page 0 of column x"))
        #expect(failure(Array(page.dropLast())).contains("runs past the end of the column chunk"))
    }
}
