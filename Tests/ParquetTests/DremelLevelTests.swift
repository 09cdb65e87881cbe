import Testing

@testable import Parquet

/// PARQUET.md §3.3's worked example, level for level and byte for byte.
@Suite struct DremelLevelTests {
    static let schema: [Field] = [
        .int64("id", .required),
        .list("tags", element: .string("element")),
        .map("attrs", key: .string("key"), value: .string("value")),
    ]

    static let records: [[String: ParquetValue]] = [
        [
            "id": .int64(1), "tags": .list([.string("a"), .string("b")]),
            "attrs": .map([.init(.string("k1"), .string("v1")), .init(.string("k2"), .null)]),
        ],
        ["id": .int64(2), "tags": .null, "attrs": .null],
        ["id": .int64(3), "tags": .list([]), "attrs": .map([])],
        ["id": .int64(4), "tags": .list([.null, .string("c")]), "attrs": .map([.init(.string("k3"), .string("v3"))])],
    ]

    @Test func levelsMatchTheWorkedExample() throws {
        let schema = try ParquetSchema(Self.schema)
        #expect(
            schema.columns.map(\.dottedPath) == [
                "id", "tags.list.element", "attrs.key_value.key", "attrs.key_value.value",
            ]
        )
        #expect(schema.columns.map(\.maxRepetitionLevel) == [0, 1, 1, 1])
        #expect(schema.columns.map(\.maxDefinitionLevel) == [0, 3, 2, 3])
        var shredder = RecordShredder(schema: schema)
        for record in Self.records { try shredder.append(record) }
        let batches = shredder.makeBatches()
        #expect(batches[1].repetitionLevels == [0, 1, 0, 0, 0, 1])
        #expect(batches[1].definitionLevels == [3, 3, 0, 1, 2, 3])
        #expect(batches[2].repetitionLevels == [0, 1, 0, 0, 0])
        #expect(batches[2].definitionLevels == [2, 2, 0, 1, 2])
        #expect(batches[3].repetitionLevels == [0, 1, 0, 0, 0])
        #expect(batches[3].definitionLevels == [3, 2, 0, 1, 3])
        guard case .byteArray(let tags) = batches[1].values, case .byteArray(let values) = batches[3].values else {
            Issue.record("string columns should hold byte arrays")
            return
        }
        #expect(tags == ByteArrayBuffer(["a", "b", "c"]))
        #expect(values == ByteArrayBuffer(["v1", "v3"]))
    }

    @Test func pageBodyOfTagsIsByteExact() throws {
        let schema = try ParquetSchema(Self.schema)
        var shredder = RecordShredder(schema: schema)
        for record in Self.records { try shredder.append(record) }
        let batch = shredder.makeBatches()[1]
        var options = WriterOptions()
        options.compression = .uncompressed
        options.dictionaryEnabled = false
        let writer = try ColumnChunkWriter<ByteArrayValueEncoder>(column: schema.columns[1], options: options)
        #expect(try writer.write(batch, slots: 0..<6, firstValue: 0) == 3)
        let chunk = try writer.finish()
        let body = hexBytes("02 00 00 00 03 22 03 00 00 00 03 4f 0e 01 00 00 00 61 01 00 00 00 62 01 00 00 00 63")
        #expect(Array(chunk.dataPages.joined().suffix(body.count)) == body)
        #expect(chunk.metaData.numValues == 6)
        #expect(chunk.metaData.statistics?.nullCount == 3)
        #expect(chunk.metaData.statistics?.minValue == Array("a".utf8))
        #expect(chunk.metaData.statistics?.maxValue == Array("c".utf8))
        #expect(chunk.dictionaryPage == nil)
    }

    @Test func dictionaryPageAndIndicesMatchPyarrow() throws {
        // Optional STRING ["x","y","x",null,"x"] (PARQUET.md §10).
        let schema = try ParquetSchema([.string("s")])
        var shredder = RecordShredder(schema: schema)
        for value in ["x", "y", "x", nil, "x"] { try shredder.append(["s": value.map { .string($0) } ?? .null]) }
        var options = WriterOptions()
        options.compression = .uncompressed
        let writer = try ColumnChunkWriter<ByteArrayValueEncoder>(column: schema.columns[0], options: options)
        #expect(try writer.write(shredder.makeBatches()[0], slots: 0..<5, firstValue: 0) == 4)
        let chunk = try writer.finish()
        #expect(
            hexString(chunk.dictionaryPage ?? [])
                == "15 04 15 14 15 14 4c 15 04 15 00 00 00 01 00 00 00 78 01 00 00 00 79"
        )
        // Definition levels 1,1,1,0,1; index bit width 1; indices 0,1,0,0.
        #expect(Array(chunk.dataPages.joined().suffix(9)) == hexBytes("02 00 00 00 03 17 01 03 02"))
    }

    @Test func requiredFieldsRejectNulls() throws {
        var shredder = RecordShredder(schema: try ParquetSchema(Self.schema))
        #expect(throws: ParquetError.self) { try shredder.append(["tags": .list([])]) }
    }

    @Test func schemaRejectsInvalidShapes() {
        #expect(throws: ParquetError.self) { try ParquetSchema([.primitive("x", .int64, .repeated)]) }
        #expect(throws: ParquetError.self) { try ParquetSchema([.int64("a"), .int64("a")]) }
        #expect(throws: ParquetError.self) { try ParquetSchema([.group("empty", [])]) }
        #expect(throws: ParquetError.self) {
            try ParquetSchema([.primitive("d", .int32, logicalType: .decimal(scale: 2, precision: 12))])
        }
        #expect(throws: ParquetError.self) { try ParquetSchema([.primitive("s", .int32, logicalType: .string)]) }
        #expect(throws: ParquetError.self) { try ParquetSchema([.fixedLengthBinary("f", length: 0)]) }
    }
}
