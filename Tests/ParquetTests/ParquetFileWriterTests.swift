import Testing

@testable import Parquet

@Suite struct ParquetFileWriterTests {
    /// PARQUET.md §10's 157-byte pyarrow file as we write it: the same page and chunk, with
    /// FileMetaData.version 1, no repetition on the root, no empty page statistics, and the row
    /// group ordinal.
    @Test func smallestFileMatchesGoldenLayout() throws {
        var options = WriterOptions()
        options.compression = .uncompressed
        options.dictionaryEnabled = false
        options.statisticsEnabled = false
        options.pageIndexEnabled = false
        options.createdBy = "parquet-cpp-arrow version 26.0.1"
        let writer = try ParquetFileWriter(
            schema: try ParquetSchema([.int32("a", .required)]),
            options: options,
            sink: MemorySink()
        )
        try writer.write([ColumnBatch(values: .int32([1, 2, 3]))])
        let summary = try writer.finish()
        let expected =
            "50 41 52 31 15 00 15 18 15 18 2c 15 06 15 00 15 06 15 06 00 00 01 00 00 00 02 00 00 00 03 00 00 00"
            + " 15 02 19 2c 48 06 73 63 68 65 6d 61 15 02 00 15 02 25 00 18 01 61 00 16 06 19 1c 19 1c 26 00 1c"
            + " 15 02 19 25 06 00 19 18 01 61 15 00 16 06 16 3a 16 3a 26 08 49 1c 15 00 15 00 15 02 00 00 00"
            + " 16 3a 16 06 26 08 16 3a 14 00 00 28 20 70 61 72 71 75 65 74 2d 63 70 70 2d 61 72 72 6f 77 20 76"
            + " 65 72 73 69 6f 6e 20 32 36 2e 30 2e 31 19 1c 1c 00 00 00 72 00 00 00 50 41 52 31"
        #expect(hexString(writer.sink.bytes) == expected)
        #expect(summary == ParquetFileSummary(rowCount: 3, rowGroupCount: 1, byteCount: 155))
    }

    @Test func rejectsBatchesThatDoNotMatchTheSchema() throws {
        let schema = try ParquetSchema([.int64("id", .required), .string("name")])
        let writer = try ParquetFileWriter(schema: schema, sink: MemorySink())
        #expect(throws: ParquetError.self) { try writer.write([ColumnBatch(values: .int64([1]))]) }
        // Wrong physical type.
        #expect(throws: ParquetError.self) {
            try writer.write([
                ColumnBatch(values: .int32([1])),
                ColumnBatch(values: .byteArray(ByteArrayBuffer(["x"])), definitionLevels: [1]),
            ])
        }
        // Row counts differ.
        #expect(throws: ParquetError.self) {
            try writer.write([
                ColumnBatch(values: .int64([1, 2])),
                ColumnBatch(values: .byteArray(ByteArrayBuffer(["x"])), definitionLevels: [1]),
            ])
        }
        // Definition levels call for more values than given.
        #expect(throws: ParquetError.self) {
            try writer.write([
                ColumnBatch(values: .int64([1, 2])),
                ColumnBatch(values: .byteArray(ByteArrayBuffer(["x"])), definitionLevels: [1, 1]),
            ])
        }
        // More values than the definition levels take.
        let extra = thrownParquetError {
            try ParquetFileWriter(schema: schema, sink: MemorySink()).write([
                ColumnBatch(values: .int64([1, 2])),
                ColumnBatch(values: .byteArray(ByteArrayBuffer(["x", "y"])), definitionLevels: [1, 0]),
            ])
        }
        #expect(extra?.message.contains("1 values are not matched by definition levels") == true)
        // An optional column's values without their definition levels: no rows, and the values are not
        // dropped in silence.
        let unplaced = thrownParquetError {
            try ParquetFileWriter(schema: try ParquetSchema([.string("name")]), sink: MemorySink()).write([
                ColumnBatch(values: .byteArray(ByteArrayBuffer(["x", "y"])))
            ])
        }
        #expect(unplaced?.message == "column 'name': 2 values are not matched by definition levels")
        // A definition level above the column's maximum (1 for an optional top-level column), after
        // valid ones, in a batch long enough for the level count to be vectorized.
        var levels = [UInt8](repeating: 1, count: 100)
        levels[77] = 2
        let tooHigh = thrownParquetError {
            try ParquetFileWriter(schema: schema, sink: MemorySink()).write([
                ColumnBatch(values: .int64(Array(0..<100))),
                ColumnBatch(
                    values: .byteArray(ByteArrayBuffer((0..<100).map { "v\($0)" })),
                    definitionLevels: levels
                ),
            ])
        }
        #expect(tooHigh?.message.contains("a definition level exceeds 1") == true)
    }

    @Test func rejectsColumnOptionsForUnknownColumns() throws {
        var options = WriterOptions()
        options.columns["nope"] = ColumnOptions(dictionaryEnabled: false)
        #expect(throws: ParquetError.self) {
            _ = try ParquetFileWriter(schema: try ParquetSchema([.int64("id")]), options: options, sink: MemorySink())
        }
    }

    @Test func cutsRowGroupsByRows() throws {
        var options = WriterOptions()
        options.rowGroupMaxRows = 100
        let writer = try ParquetFileWriter(
            schema: try ParquetSchema([.int64("id", .required)]),
            options: options,
            sink: MemorySink()
        )
        try writer.write([ColumnBatch(values: .int64(Array(0..<250)))])
        try writer.write([ColumnBatch(values: .int64(Array(0..<30)))])
        let summary = try writer.finish()
        #expect(summary.rowGroupCount == 3)
        #expect(summary.rowCount == 280)
    }

    @Test func cutsRowGroupsByBytes() throws {
        var options = WriterOptions()
        options.rowGroupMaxBytes = 64 * 1024
        options.dictionaryEnabled = false
        let writer = try ParquetFileWriter(
            schema: try ParquetSchema([.int64("id", .required)]),
            options: options,
            sink: MemorySink()
        )
        for start in stride(from: 0, to: 100_000, by: 10_000) {
            try writer.write([ColumnBatch(values: .int64(Array(Int64(start)..<Int64(start + 10_000))))])
        }
        let summary = try writer.finish()
        // 800 KB of INT64 values in row groups of about 64 KiB.
        #expect(summary.rowGroupCount >= 10)
    }

    @Test func nestedBatchesSplitAtRowBoundaries() throws {
        var options = WriterOptions()
        options.rowGroupMaxRows = 3
        let schema = try ParquetSchema([.list("tags", element: .string("element"))])
        let writer = try ParquetFileWriter(schema: schema, options: options, sink: MemorySink())
        var shredder = RecordShredder(schema: schema)
        for i in 0..<10 {
            try shredder.append(["tags": .list((0..<(i % 4)).map { .string("t\($0)") })])
        }
        try writer.write(shredder.makeBatches())
        let summary = try writer.finish()
        #expect(summary.rowGroupCount == 4)
        #expect(summary.rowCount == 10)
    }
}
