import JSONScan
import Parquet
import Testing

@testable import LaketapConvert

@Suite struct ParallelRecordConverterTests {
    /// A rejection as the rejects file shows it.
    struct Rejected: Equatable, CustomStringConvertible {
        var record: String
        var source: String
        var line: Int
        var byteOffset: Int
        var rejection: RecordRejection

        var description: String { "\(self.source):\(self.line)@\(self.byteOffset) \(self.rejection): \(self.record)" }
    }

    /// Records of every kind, deterministically mixed: accepted, kept in the overflow column,
    /// rejected by the shredder, and framing errors (a record the framer refused).
    static func mixedRecords(count: Int) -> [(text: String, framingError: JSONScanError?)] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var records: [(String, JSONScanError?)] = []
        for index in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let pick = Int(state >> 33) % 100
            let text: String
            var error: JSONScanError? = nil
            switch pick {
            case 0..<60:
                text =
                    #"{"id":\#(index),"name":"n\#(pick)","at":"2024-01-0\#(pick % 9 + 1)T10:00:00Z","tags":["t\#(pick % 7)","u"],"attrs":{"k":\#(pick)},"user":{"age":\#(pick),"vip":\#(pick % 2 == 0)}}"#
            case 60..<70: text = #"{"id":\#(index),"name":\#(pick),"extra":{"a":[1,2]}}"#
            case 70..<78: text = #"{"id":\#(index),"tags":[1,"x"],"raw":{"deep":{"x":null}}}"#
            case 78..<84: text = #"{"name":"no id \#(index)"}"#
            case 84..<88: text = #"{"id":\#(index),"name":"unterminated"#
            case 88..<92: text = "[\(index)]"
            case 92..<95:
                text = ""
                error = JSONScanError(
                    .recordTooLarge,
                    "record \(index) is too large",
                    byteOffset: index,
                    line: index + 1
                )
            default: text = #"{"id":\#(index),"id":\#(index + 1)}"#
            }
            records.append((text, error))
        }
        return records
    }

    static func options() -> WriterOptions {
        var options = WriterOptions()
        options.compression = .zstd(level: 3)
        options.dataPageRowLimit = 97
        options.rowGroupMaxRows = 1_500
        return options
    }

    /// The reference: ``RecordConverter``, one record at a time, as `convert --threads 1` does.
    static func convertSequentially(
        _ records: [(text: String, framingError: JSONScanError?)],
        schema: StreamSchema
    ) throws -> (file: [UInt8], rejected: [Rejected], statistics: RecordConverter<MemorySink>.Statistics) {
        let converter = try RecordConverter(schema: schema, options: Self.options(), sink: MemorySink())
        var rejected: [Rejected] = []
        var offset = 0
        for (index, record) in records.enumerated() {
            let bytes = Array(record.text.utf8)
            let rejection: RecordRejection?
            if let error = record.framingError {
                rejection = RecordRejection(error)
                converter.reject(rejection!)
            } else {
                rejection = try bytes.withUnsafeBytes { try converter.append($0, line: index + 1, byteOffset: offset) }
            }
            if let rejection {
                rejected.append(
                    Rejected(
                        record: record.text,
                        source: "in",
                        line: index + 1,
                        byteOffset: offset,
                        rejection: rejection
                    )
                )
            }
            offset += bytes.count + 1
        }
        try converter.finish()
        return (converter.sink.bytes, rejected, converter.statistics)
    }

    static func convertInParallel(
        _ records: [(text: String, framingError: JSONScanError?)],
        schema: StreamSchema,
        threads: Int,
        chunkBytes: Int,
        chunkRecords: Int = 16_384
    ) throws -> (file: [UInt8], rejected: [Rejected], statistics: RecordConverter<MemorySink>.Statistics) {
        let (converter, rejected) = try Self.converter(
            schema: schema,
            threads: threads,
            chunkBytes: chunkBytes,
            chunkRecords: chunkRecords
        )
        var offset = 0
        for (index, record) in records.enumerated() {
            let bytes = Array(record.text.utf8)
            try bytes.withUnsafeBytes {
                try converter.append($0, source: "in", line: index + 1, byteOffset: offset, error: record.framingError)
            }
            offset += bytes.count + 1
        }
        try converter.finish()
        return (converter.sink.bytes, rejected.entries, converter.statistics)
    }

    /// The rejections a converter made by ``converter(schema:threads:chunkBytes:chunkRecords:)`` reported.
    final class RejectedLog: @unchecked Sendable {
        var entries: [Rejected] = []
    }

    /// A parallel converter into memory whose rejections go to the returned log.
    static func converter(
        schema: StreamSchema,
        threads: Int,
        chunkBytes: Int,
        chunkRecords: Int = 16_384
    ) throws -> (ParallelRecordConverter<MemorySink>, RejectedLog) {
        let log = RejectedLog()
        let converter = try ParallelRecordConverter(
            schema: schema,
            options: Self.options(),
            sink: MemorySink(),
            threads: threads,
            chunkBytes: chunkBytes,
            chunkRecords: chunkRecords,
            onRejection: { bytes, source, line, byteOffset, rejection in
                log.entries.append(
                    Rejected(
                        record: String(decoding: bytes, as: UTF8.self),
                        source: source,
                        line: line,
                        byteOffset: byteOffset,
                        rejection: rejection
                    )
                )
            }
        )
        return (converter, log)
    }

    static let schema = RecordConverterTests.schema

    @Test(arguments: [(1, 1_000), (2, 777), (3, 4_099), (4, 1 << 20)])
    func writesTheFileAndRejectsOfTheSequentialConverter(threads: Int, chunkBytes: Int) throws {
        let records = Self.mixedRecords(count: 4_000)
        var strict = Self.schema
        strict.overflowColumn = nil
        for schema in [Self.schema, strict] {
            let expected = try Self.convertSequentially(records, schema: schema)
            let got = try Self.convertInParallel(records, schema: schema, threads: threads, chunkBytes: chunkBytes)
            #expect(expected.rejected.count > 100)
            #expect(got.rejected == expected.rejected)
            #expect(got.statistics == expected.statistics)
            #expect(got.file == expected.file)
        }
    }

    /// With pages large enough, the threads compress them as detached tasks while the columns go on
    /// encoding (``ColumnTaskRunner/submit(_:)``); the file is still the sequential converter's.
    @Test(arguments: [2, 3])
    func compressesLargePagesOnItsThreadsIntoTheSequentialFile(threads: Int) throws {
        var options = WriterOptions()
        options.compression = .zstd(level: 3)
        options.dataPageSize = 300 << 10
        options.dataPageRowLimit = 1 << 20
        options.rowGroupMaxRows = 12_000
        options.dictionaryEnabled = false
        let schema = StreamSchema(fields: [StreamField("id", .int64, isNullable: false), StreamField("text", .string)])
        var random = UInt64(42)
        let records: [[UInt8]] = (0..<30_000).map { index in
            var text = ""
            for _ in 0..<12 {
                random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += String(random >> 40, radix: 36) + " "
            }
            return Array(#"{"id":\#(index),"text":"\#(text)"}"#.utf8)
        }

        let sequential = try RecordConverter(schema: schema, options: options, sink: MemorySink())
        for (index, record) in records.enumerated() {
            let rejection = try record.withUnsafeBytes { try sequential.append($0, line: index + 1, byteOffset: 0) }
            #expect(rejection == nil)
        }
        try sequential.finish()
        let parallel = try ParallelRecordConverter(
            schema: schema,
            options: options,
            sink: MemorySink(),
            threads: threads,
            chunkBytes: 64 << 10,
            onRejection: { _, _, _, _, rejection in Issue.record("rejected: \(rejection)") }
        )
        for (index, record) in records.enumerated() {
            try record.withUnsafeBytes { try parallel.append($0, source: "in", line: index + 1, byteOffset: 0) }
        }
        try parallel.finish()
        #expect(parallel.sink.bytes == sequential.sink.bytes)

        // The text column's pages but each chunk's last are large enough to be compressed as tasks
        // (256 KiB or more).
        let metadata = try ParquetFileReader(source: MemorySource(parallel.sink.bytes)).metadata
        for group in metadata.rowGroups.dropLast() {
            let text = group.columns[1]
            let pages = text.encodingStatistics.filter { $0.pageType == .dataPage }.reduce(0) { $0 + Int($1.count) }
            #expect(pages >= 3)
            #expect(Int(text.uncompressedSize) >= (pages - 1) * (256 << 10))
        }
    }

    /// The writer cuts pages and row groups at the same rows whatever the batches: what makes the
    /// parallel converter's chunks give the sequential converter's file.
    @Test(arguments: [1, 7, 1_000, 5_000])
    func theFileDoesNotDependOnTheBatchSize(batchRecords: Int) throws {
        let records = Self.mixedRecords(count: 3_000).filter { $0.framingError == nil }
        func convert(batchRecords: Int) throws -> [UInt8] {
            let converter = try RecordConverter(
                schema: Self.schema,
                options: Self.options(),
                sink: MemorySink(),
                batchRecords: batchRecords
            )
            for (index, record) in records.enumerated() {
                try Array(record.text.utf8).withUnsafeBytes { _ = try converter.append($0, line: index + 1) }
            }
            try converter.finish()
            return converter.sink.bytes
        }
        #expect(try convert(batchRecords: batchRecords) == (try convert(batchRecords: 16_384)))
    }

    /// Lines handed out unverified (``JSONRecord/isUnverifiedLine``), some holding concatenated objects
    /// or broken JSON: the threads frame a rejected line again and convert what it holds, giving the
    /// file, rejects and counts of exactly framed records.
    @Test(arguments: [1, 2, 3])
    func framesRejectedUnverifiedLinesAgain(threads: Int) throws {
        var lines: [String] = []
        for index in 0..<3_000 {
            switch index % 11 {
            case 0: lines.append(#"{"id":\#(index),"name":"a"}{"id":\#(-index)}"#)
            case 1: lines.append(#"{"id":\#(index),"name":"#)
            case 2: lines.append(#"{"id":\#(index),"name":5} {"id":\#(index + 1),"tags":["t"]} "x""#)
            default: lines.append(#"{"id":\#(index),"name":"n\#(index)","tags":["x","y"]}"#)
            }
        }
        var strict = Self.schema
        strict.overflowColumn = nil
        // The reference: every line framed exactly, its records converted one by one.
        var exact: [(text: String, line: Int, offset: Int, error: JSONScanError?)] = []
        var unverified: [(text: String, line: Int, offset: Int)] = []
        var offset = 0
        for (index, line) in lines.enumerated() {
            let bytes = Array(line.utf8)
            bytes.withUnsafeBytes { raw in
                for record in JSONRecordFramer.frameLine(raw, line: index + 1, byteOffset: offset, options: .init()) {
                    exact.append(
                        (
                            String(decoding: raw[record.range], as: UTF8.self), record.line, record.byteOffset,
                            record.error
                        )
                    )
                }
            }
            unverified.append((line, index + 1, offset))
            offset += bytes.count + 1
        }
        func convert(unverifiedLines: Bool) throws -> ([UInt8], [Rejected], RecordConverter<MemorySink>.Statistics) {
            let (converter, rejected) = try Self.converter(schema: strict, threads: threads, chunkBytes: 4_099)
            let inputs =
                unverifiedLines
                ? unverified.map { ($0.text, $0.line, $0.offset, JSONScanError?.none, true) }
                : exact.map { ($0.text, $0.line, $0.offset, $0.error, false) }
            for (text, line, offset, error, isUnverifiedLine) in inputs {
                try Array(text.utf8).withUnsafeBytes {
                    if isUnverifiedLine {
                        try converter.appendUnverifiedLine($0, source: "in", line: line, byteOffset: offset)
                    } else {
                        try converter.append($0, source: "in", line: line, byteOffset: offset, error: error)
                    }
                }
            }
            try converter.finish()
            return (converter.sink.bytes, rejected.entries, converter.statistics)
        }
        let expected = try convert(unverifiedLines: false)
        let got = try convert(unverifiedLines: true)
        #expect(expected.2.recordsIn > lines.count)
        #expect(expected.1.count > 500)
        #expect(got.1 == expected.1)
        #expect(got.2 == expected.2)
        #expect(got.0 == expected.0)
    }

    @Test func cutsChunksByRecordCountToo() throws {
        let records = Self.mixedRecords(count: 1_000)
        let expected = try Self.convertSequentially(records, schema: Self.schema)
        let got = try Self.convertInParallel(
            records,
            schema: Self.schema,
            threads: 2,
            chunkBytes: 1 << 30,
            chunkRecords: 13
        )
        #expect(got.rejected == expected.rejected)
        #expect(got.file == expected.file)
    }

    @Test func anEmptyInputWritesAnEmptyFile() throws {
        let expected = try Self.convertSequentially([], schema: Self.schema)
        let got = try Self.convertInParallel([], schema: Self.schema, threads: 3, chunkBytes: 100)
        #expect(got.file == expected.file)
        #expect(got.statistics.recordsIn == 0)
    }

    @Test func aFailingRejectionHandlerStopsTheThreads() throws {
        struct Stop: Error {}
        let converter = try ParallelRecordConverter(
            schema: Self.schema,
            sink: MemorySink(),
            threads: 3,
            chunkBytes: 10,
            onRejection: { _, _, _, _, _ in throw Stop() }
        )
        let bytes = Array("[1]".utf8)
        #expect(throws: Stop.self) {
            for line in 1...100 {
                try bytes.withUnsafeBytes { try converter.append($0, source: "in", line: line, byteOffset: 0) }
            }
            try converter.finish()
        }
        converter.abandon()
    }

    /// A sink that is a class, so a test can see whether the converter let go of it.
    final class ClassSink: ParquetSink {
        var bytes = 0
        func write(_ bytes: UnsafeRawBufferPointer) { self.bytes += bytes.count }
        func finish() {}
    }

    /// A server converts file after file: a converter must free its writer and buffers once it is
    /// finished or abandoned (the writer and the threads' queue once held each other).
    @Test(arguments: [(1, false), (3, false), (3, true)])
    func releasesTheWriterWhenDone(threads: Int, abandons: Bool) throws {
        weak var released: ClassSink?
        do {
            let sink = ClassSink()
            released = sink
            let converter = try ParallelRecordConverter(
                schema: Self.schema,
                sink: sink,
                threads: threads,
                chunkBytes: 64,
                onRejection: { _, _, _, _, _ in }
            )
            for (line, record) in Self.mixedRecords(count: 300).enumerated() where record.framingError == nil {
                try Array(record.text.utf8).withUnsafeBytes {
                    try converter.append($0, source: "in", line: line + 1, byteOffset: 0)
                }
            }
            if abandons { converter.abandon() } else { try converter.finish() }
            #expect(abandons || sink.bytes > 0)
        }
        #expect(released == nil)
    }
}
