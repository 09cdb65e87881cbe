import Testing

@testable import Parquet

/// Record assembly: round trips through ``RecordShredder``, legacy list/map shapes from hand-built
/// levels (mirroring apache/parquet-testing files), and corrupt level streams.
@Suite struct RecordAssemblerTests {
    // MARK: - Helpers

    /// Shreds `records` with the schema of `fields`, assembles fields `projection` (all by default)
    /// and returns the records.
    static func roundTrip(
        _ fields: [Field],
        _ records: [[String: ParquetValue]],
        projection: [Int]? = nil
    ) throws -> [[String: ParquetValue]] {
        let schema = try ParquetSchema(fields)
        var shredder = RecordShredder(schema: schema)
        for record in records { try shredder.append(record) }
        let rows = shredder.rowCount
        let batches = shredder.makeBatches()
        let assembler = try RecordAssembler(schema: schema, fields: projection ?? Array(fields.indices))
        return try assembler.assemble(assembler.leafColumns.map { batches[$0] }, rowCount: rows)
    }

    /// Assembles every field of the file schema `elements` from hand-built batches.
    static func assemble(
        _ elements: [SchemaElement],
        _ batches: [ColumnBatch],
        rows: Int
    ) throws -> [[String: ParquetValue]] {
        let schema = try ParquetSchema(elements: elements)
        let assembler = try RecordAssembler(schema: schema, fields: Array(schema.fields.indices))
        #expect(assembler.leafColumns == Array(schema.columns.indices))
        return try assembler.assemble(batches, rowCount: rows)
    }

    static func root(_ children: Int32) -> SchemaElement {
        SchemaElement(name: "schema", numChildren: children)
    }

    static func group(
        _ name: String,
        _ repetition: Repetition,
        children: Int32,
        converted: ConvertedType? = nil,
        logical: LogicalType? = nil
    ) -> SchemaElement {
        SchemaElement(
            repetitionType: repetition,
            name: name,
            numChildren: children,
            convertedType: converted,
            logicalType: logical
        )
    }

    static func leaf(
        _ name: String,
        _ type: PhysicalType,
        _ repetition: Repetition,
        converted: ConvertedType? = nil,
        logical: LogicalType? = nil
    ) -> SchemaElement {
        SchemaElement(
            type: type,
            repetitionType: repetition,
            name: name,
            convertedType: converted,
            logicalType: logical
        )
    }

    static func strings(_ values: [String]) -> ColumnValues { .byteArray(ByteArrayBuffer(values)) }

    static func list(_ values: [Int32]) -> ParquetValue { .list(values.map { .int32($0) }) }

    // MARK: - Round trips

    @Test func workedExampleOfSection3_3() throws {
        let records = try Self.roundTrip(DremelLevelTests.schema, DremelLevelTests.records)
        #expect(records == DremelLevelTests.records)
    }

    @Test func flatColumnsWithNulls() throws {
        let fields: [Field] = [
            .int64("id", .required),
            .int32("small"),
            .boolean("flag"),
            .float("ratio"),
            .double("score", .required),
            .string("name"),
            .binary("blob"),
            .json("payload"),
            .enum("kind"),
            .fixedLengthBinary("code", length: 3),
            .int96("legacy_time"),
        ]
        let int96: [UInt8] = [0, 1, 2, 3, 4, 5, 6, 7, 0x8c, 0x3d, 0x25, 0]
        let records: [[String: ParquetValue]] = [
            [
                "id": .int64(1), "small": .int32(-5), "flag": .boolean(true), "ratio": .float(0.5),
                "score": .double(1.25), "name": .string("ä€"), "blob": .bytes([0xff, 0x00]),
                "payload": .string("{\"a\":1}"), "kind": .string("RED"), "code": .bytes([1, 2, 3]),
                "legacy_time": .bytes(int96),
            ],
            [
                "id": .int64(2), "small": .null, "flag": .null, "ratio": .null, "score": .double(-0.0),
                "name": .null, "blob": .null, "payload": .null, "kind": .null, "code": .null, "legacy_time": .null,
            ],
            [
                "id": .int64(3), "small": .int32(.max), "flag": .boolean(false), "ratio": .null,
                "score": .double(.infinity), "name": .string(""), "blob": .bytes([]),
                "payload": .null, "kind": .string("BLUE"), "code": .null, "legacy_time": .null,
            ],
        ]
        #expect(try Self.roundTrip(fields, records) == records)
    }

    @Test func textColumnWithInvalidUTF8GivesBytes() throws {
        let records: [[String: ParquetValue]] = [["name": .bytes([0xc3, 0x28])], ["name": .string("ok")]]
        #expect(try Self.roundTrip([.string("name")], records) == records)
    }

    @Test func listOfStringsWithNullAndEmptyListsAndNullElements() throws {
        let records: [[String: ParquetValue]] = [
            ["tags": .list([.string("a"), .string("b")])],
            ["tags": .null],
            ["tags": .list([])],
            ["tags": .list([.null])],
            ["tags": .list([.null, .string("c"), .null])],
        ]
        #expect(try Self.roundTrip([.list("tags", element: .string("element"))], records) == records)
    }

    @Test func requiredListOfRequiredElements() throws {
        let records: [[String: ParquetValue]] = [
            ["ids": .list([.int64(1), .int64(2)])],
            ["ids": .list([])],
            ["ids": .list([.int64(3)])],
        ]
        let fields: [Field] = [.list("ids", element: .int64("element", .required), .required)]
        #expect(try Self.roundTrip(fields, records) == records)
    }

    @Test func listOfListsOfInt64() throws {
        func inner(_ values: [Int64?]) -> ParquetValue { .list(values.map { $0.map(ParquetValue.int64) ?? .null }) }
        let records: [[String: ParquetValue]] = [
            ["matrix": .list([inner([1, 2]), inner([3])])],
            ["matrix": .list([inner([]), .null, inner([4])])],
            ["matrix": .null],
            ["matrix": .list([])],
            ["matrix": .list([.null])],
            ["matrix": .list([inner([nil, 5]), inner([]), inner([nil])])],
        ]
        let fields: [Field] = [.list("matrix", element: .list("element", element: .int64("element")))]
        #expect(try Self.roundTrip(fields, records) == records)
    }

    @Test func mapOfStringsWithNullValuesAndEmptyAndNullMaps() throws {
        let records: [[String: ParquetValue]] = [
            ["attrs": .map([.init(.string("k1"), .string("v1")), .init(.string("k2"), .null)])],
            ["attrs": .null],
            ["attrs": .map([])],
            ["attrs": .map([.init(.string("k3"), .string("v3"))])],
            ["attrs": .map([.init(.string("b"), .null), .init(.string("a"), .string("x"))])],
        ]
        let fields: [Field] = [.map("attrs", key: .string("key"), value: .string("value"))]
        #expect(try Self.roundTrip(fields, records) == records)
    }

    @Test func mapOfStringToStruct() throws {
        func point(_ x: ParquetValue, _ label: ParquetValue) -> ParquetValue { .group(["x": x, "label": label]) }
        let records: [[String: ParquetValue]] = [
            ["points": .map([.init(.string("a"), point(.int32(1), .string("one"))), .init(.string("b"), .null)])],
            ["points": .map([.init(.string("c"), point(.null, .null))])],
            ["points": .null],
            ["points": .map([])],
        ]
        let fields: [Field] = [
            .map("points", key: .string("key"), value: .group("value", [.int32("x"), .string("label")]))
        ]
        #expect(try Self.roundTrip(fields, records) == records)
    }

    @Test func structNestedFiveDeepWithNullsAtEveryLevel() throws {
        let fields: [Field] = [
            .group(
                "a",
                [
                    .group(
                        "b",
                        [
                            .group(
                                "c",
                                [
                                    .group("d", [.group("e", [.int64("x"), .string("y", .required)]), .int32("z")])
                                ]
                            ),
                            .boolean("flag", .required),
                        ]
                    )
                ]
            )
        ]
        func e(_ x: ParquetValue, _ y: String) -> ParquetValue { .group(["x": x, "y": .string(y)]) }
        func d(_ e: ParquetValue, _ z: ParquetValue) -> ParquetValue { .group(["e": e, "z": z]) }
        func b(_ c: ParquetValue) -> ParquetValue { .group(["c": c, "flag": .boolean(true)]) }
        let records: [[String: ParquetValue]] = [
            ["a": .group(["b": b(.group(["d": d(e(.int64(7), "deep"), .int32(1))]))])],
            ["a": .group(["b": b(.group(["d": d(e(.null, "no x"), .null)]))])],
            ["a": .group(["b": b(.group(["d": d(.null, .int32(2))]))])],
            ["a": .group(["b": b(.group(["d": .null]))])],
            ["a": .group(["b": b(.null)])],
            ["a": .group(["b": .null])],
            ["a": .null],
        ]
        #expect(try Self.roundTrip(fields, records) == records)
    }

    @Test func listOfStructs() throws {
        let element = Field.group(
            "element",
            [.int64("id", .required), .string("name"), .list("tags", element: .string("element"))]
        )
        func item(_ id: Int64, _ name: ParquetValue, _ tags: ParquetValue) -> ParquetValue {
            .group(["id": .int64(id), "name": name, "tags": tags])
        }
        let records: [[String: ParquetValue]] = [
            ["items": .list([item(1, .string("a"), .list([.string("x")])), .null, item(2, .null, .null)])],
            ["items": .list([])],
            ["items": .null],
            ["items": .list([item(3, .string("c"), .list([])), item(4, .string("d"), .list([.null, .string("y")]))])],
        ]
        #expect(try Self.roundTrip([.list("items", element: element)], records) == records)
    }

    @Test func projectionOfASubsetOfFields() throws {
        let fields: [Field] = [
            .int64("id", .required),
            .list("tags", element: .string("element")),
            .group("meta", [.string("source"), .int32("version")]),
            .map("attrs", key: .string("key"), value: .int64("value")),
        ]
        let records: [[String: ParquetValue]] = [
            [
                "id": .int64(1), "tags": .list([.string("a")]),
                "meta": .group(["source": .string("s"), "version": .int32(2)]),
                "attrs": .map([.init(.string("k"), .int64(9))]),
            ],
            ["id": .int64(2), "tags": .null, "meta": .null, "attrs": .map([])],
        ]
        let schema = try ParquetSchema(fields)
        let assembler = try RecordAssembler(schema: schema, fields: [1, 3])
        #expect(assembler.leafColumns == [1, 4, 5])
        let projected = try Self.roundTrip(fields, records, projection: [1, 3])
        #expect(projected == records.map { ["tags": $0["tags"] ?? .null, "attrs": $0["attrs"] ?? .null] })
        let onlyMeta = try Self.roundTrip(fields, records, projection: [2])
        #expect(onlyMeta == records.map { ["meta": $0["meta"] ?? .null] })
    }

    @Test func zeroRows() throws {
        let fields: [Field] = [.int64("id", .required), .list("tags", element: .string("element"))]
        #expect(try Self.roundTrip(fields, []) == [])
        let schema = try ParquetSchema(fields)
        let none = try RecordAssembler(schema: schema, fields: [])
        #expect(none.leafColumns == [])
        #expect(try none.assemble([], rowCount: 2) == [[:], [:]])
    }

    @Test func manyRows() throws {
        let fields: [Field] = [
            .int64("id", .required),
            .list("tags", element: .string("element")),
            .group("meta", [.int32("version"), .map("attrs", key: .string("key"), value: .string("value"))]),
        ]
        var records: [[String: ParquetValue]] = []
        for index in 0..<100_000 {
            let tags: ParquetValue =
                index % 7 == 0 ? .null : .list((0..<(index % 4)).map { .string("t\($0)") })
            let meta: ParquetValue =
                index % 5 == 0
                ? .null
                : .group([
                    "version": index % 3 == 0 ? .null : .int32(Int32(index)),
                    "attrs": .map([.init(.string("k"), index % 2 == 0 ? .null : .string("v\(index)"))]),
                ])
            records.append(["id": .int64(Int64(index)), "tags": tags, "meta": meta])
        }
        #expect(try Self.roundTrip(fields, records) == records)
    }

    // MARK: - Legacy shapes

    /// repeated_no_annotation.parquet: an un-annotated repeated group inside an optional group.
    @Test func repeatedGroupWithoutAnnotation() throws {
        let elements = [
            Self.root(2),
            Self.leaf("id", .int32, .required),
            Self.group("phoneNumbers", .optional, children: 1),
            Self.group("phone", .repeated, children: 2),
            Self.leaf("number", .int64, .required),
            Self.leaf("kind", .byteArray, .optional, converted: .utf8),
        ]
        let batches = [
            ColumnBatch(values: .int32([1, 2, 3, 4])),
            ColumnBatch(
                values: .int64([5555, 1111, 2222]),
                definitionLevels: [0, 1, 2, 2, 2],
                repetitionLevels: [0, 0, 0, 0, 1]
            ),
            ColumnBatch(
                values: Self.strings(["home", "mobile"]),
                definitionLevels: [0, 1, 3, 3, 2],
                repetitionLevels: [0, 0, 0, 0, 1]
            ),
        ]
        func phone(_ number: Int64, _ kind: ParquetValue) -> ParquetValue {
            .group(["number": .int64(number), "kind": kind])
        }
        let expected: [[String: ParquetValue]] = [
            ["id": .int32(1), "phoneNumbers": .null],
            ["id": .int32(2), "phoneNumbers": .group(["phone": .list([])])],
            ["id": .int32(3), "phoneNumbers": .group(["phone": .list([phone(5555, .string("home"))])])],
            [
                "id": .int32(4),
                "phoneNumbers": .group(["phone": .list([phone(1111, .string("mobile")), phone(2222, .null)])]),
            ],
        ]
        #expect(try Self.assemble(elements, batches, rows: 4) == expected)
    }

    /// repeated_primitive_no_list.parquet: repeated primitives at the top level and inside a group.
    @Test func repeatedPrimitivesWithoutList() throws {
        let elements = [
            Self.root(3),
            Self.leaf("Int32_list", .int32, .repeated),
            Self.leaf("String_list", .byteArray, .repeated, converted: .utf8),
            Self.group("group_of_lists", .required, children: 2),
            Self.leaf("Int32_list_in_group", .int32, .repeated),
            Self.leaf("String_list_in_group", .byteArray, .repeated, converted: .utf8),
        ]
        let batches = [
            ColumnBatch(values: .int32([1, 2, 3]), definitionLevels: [1, 1, 1, 0], repetitionLevels: [0, 1, 1, 0]),
            ColumnBatch(
                values: Self.strings(["a", "b", "c"]),
                definitionLevels: [1, 1, 1],
                repetitionLevels: [0, 1, 0]
            ),
            ColumnBatch(values: .int32([4]), definitionLevels: [1, 0], repetitionLevels: [0, 0]),
            ColumnBatch(values: Self.strings(["d", "e"]), definitionLevels: [0, 1, 1], repetitionLevels: [0, 0, 1]),
        ]
        let expected: [[String: ParquetValue]] = [
            [
                "Int32_list": Self.list([1, 2, 3]),
                "String_list": .list([.string("a"), .string("b")]),
                "group_of_lists": .group(["Int32_list_in_group": Self.list([4]), "String_list_in_group": .list([])]),
            ],
            [
                "Int32_list": .list([]),
                "String_list": .list([.string("c")]),
                "group_of_lists": .group([
                    "Int32_list_in_group": .list([]),
                    "String_list_in_group": .list([.string("d"), .string("e")]),
                ]),
            ],
        ]
        #expect(try Self.assemble(elements, batches, rows: 2) == expected)
    }

    /// old_list_structure.parquet: `optional group a (LIST) { repeated group array (LIST) { repeated int32 array } }`
    /// (rule 3: a repeated group whose one field is repeated is the element).
    @Test func oldListStructureOfNestedArrays() throws {
        let elements = [
            Self.root(1),
            Self.group("a", .optional, children: 1, converted: .list),
            Self.group("array", .repeated, children: 1, converted: .list),
            Self.leaf("array", .int32, .repeated),
        ]
        let batches = [
            ColumnBatch(
                values: .int32([1, 2, 3, 4]),
                definitionLevels: [3, 3, 3, 3, 0, 1, 2],
                repetitionLevels: [0, 2, 1, 2, 0, 0, 0]
            )
        ]
        let expected: [[String: ParquetValue]] = [
            ["a": .list([Self.list([1, 2]), Self.list([3, 4])])],
            ["a": .null],
            ["a": .list([])],
            ["a": .list([.list([])])],
        ]
        #expect(try Self.assemble(elements, batches, rows: 4) == expected)
    }

    /// Rule 4: a one-field repeated group named `array` or `<list>_tuple` is the element (a struct).
    @Test(arguments: ["array", "my_list_tuple"])
    func listOfOneFieldTuples(repeatedName: String) throws {
        let elements = [
            Self.root(1),
            Self.group("my_list", .optional, children: 1, converted: .list, logical: .list),
            Self.group(repeatedName, .repeated, children: 1),
            Self.leaf("str", .byteArray, .required, logical: .string),
        ]
        let batches = [
            ColumnBatch(
                values: Self.strings(["x", "y"]),
                definitionLevels: [2, 2, 1, 0],
                repetitionLevels: [0, 1, 0, 0]
            )
        ]
        let expected: [[String: ParquetValue]] = [
            ["my_list": .list([.group(["str": .string("x")]), .group(["str": .string("y")])])],
            ["my_list": .list([])],
            ["my_list": .null],
        ]
        #expect(try Self.assemble(elements, batches, rows: 3) == expected)
    }

    /// Rule 1: `optional group x (LIST) { repeated int32 element }` is a list of required int32.
    @Test func twoLevelListOfPrimitives() throws {
        let elements = [
            Self.root(1),
            Self.group("x", .optional, children: 1, converted: .list),
            Self.leaf("element", .int32, .repeated),
        ]
        let batches = [
            ColumnBatch(
                values: .int32([1, 2, 3]),
                definitionLevels: [2, 2, 0, 1, 2],
                repetitionLevels: [0, 1, 0, 0, 0]
            )
        ]
        let expected: [[String: ParquetValue]] = [
            ["x": Self.list([1, 2])], ["x": .null], ["x": .list([])], ["x": Self.list([3])],
        ]
        #expect(try Self.assemble(elements, batches, rows: 4) == expected)
    }

    /// Rule 2: a repeated group with several fields is the element; rule 5: a one-field group with
    /// another name is the 3-level wrapper, and the element keeps its own repetition.
    @Test func multiFieldElementsAndThreeLevelWrappers() throws {
        let elements = [
            Self.root(2),
            Self.group("pairs", .optional, children: 1, converted: .list),
            Self.group("element", .repeated, children: 2),
            Self.leaf("str", .byteArray, .required, logical: .string),
            Self.leaf("num", .int32, .required),
            Self.group("names", .required, children: 1, logical: .list),
            Self.group("bag", .repeated, children: 1),
            Self.leaf("str", .byteArray, .optional, logical: .string),
        ]
        let batches = [
            ColumnBatch(values: Self.strings(["a", "b"]), definitionLevels: [2, 2, 1], repetitionLevels: [0, 1, 0]),
            ColumnBatch(values: .int32([1, 2]), definitionLevels: [2, 2, 1], repetitionLevels: [0, 1, 0]),
            ColumnBatch(values: Self.strings(["n"]), definitionLevels: [2, 1, 0], repetitionLevels: [0, 1, 0]),
        ]
        let expected: [[String: ParquetValue]] = [
            [
                "pairs": .list([
                    .group(["str": .string("a"), "num": .int32(1)]), .group(["str": .string("b"), "num": .int32(2)]),
                ]),
                "names": .list([.string("n"), .null]),
            ],
            ["pairs": .list([]), "names": .list([])],
        ]
        #expect(try Self.assemble(elements, batches, rows: 2) == expected)
    }

    /// map_no_value.parquet: a MAP whose key_value group has no value field maps keys to null.
    @Test func mapWithoutValueField() throws {
        let elements = [
            Self.root(1),
            Self.group("my_map", .optional, children: 1, converted: .map, logical: .map),
            Self.group("key_value", .repeated, children: 1),
            Self.leaf("key", .int32, .required),
        ]
        let batches = [
            ColumnBatch(
                values: .int32([1, 2, 3]),
                definitionLevels: [2, 2, 0, 1, 2],
                repetitionLevels: [0, 1, 0, 0, 0]
            )
        ]
        let expected: [[String: ParquetValue]] = [
            ["my_map": .map([.init(.int32(1), .null), .init(.int32(2), .null)])],
            ["my_map": .null],
            ["my_map": .map([])],
            ["my_map": .map([.init(.int32(3), .null)])],
        ]
        #expect(try Self.assemble(elements, batches, rows: 4) == expected)
    }

    /// MAP_KEY_VALUE on the outer group (handled as MAP), MAP_KEY_VALUE on the repeated group inside
    /// a MAP (ignored), misnamed key and value fields, and an optional key accepted leniently.
    @Test func legacyMapShapes() throws {
        let elements = [
            Self.root(2),
            Self.group("old", .optional, children: 1, converted: .mapKeyValue),
            Self.group("map", .repeated, children: 2),
            Self.leaf("str", .byteArray, .required, converted: .utf8),
            Self.leaf("num", .int32, .required),
            Self.group("loose", .required, children: 1, converted: .map),
            Self.group("map", .repeated, children: 2, converted: .mapKeyValue),
            Self.leaf("key", .byteArray, .optional, converted: .utf8),
            Self.leaf("value", .int64, .optional),
        ]
        let batches = [
            ColumnBatch(values: Self.strings(["a", "b"]), definitionLevels: [2, 2, 0], repetitionLevels: [0, 1, 0]),
            ColumnBatch(values: .int32([1, 2]), definitionLevels: [2, 2, 0], repetitionLevels: [0, 1, 0]),
            ColumnBatch(values: Self.strings(["k"]), definitionLevels: [2, 1, 0], repetitionLevels: [0, 1, 0]),
            ColumnBatch(values: .int64([9]), definitionLevels: [1, 2, 0], repetitionLevels: [0, 1, 0]),
        ]
        let expected: [[String: ParquetValue]] = [
            [
                "old": .map([.init(.string("a"), .int32(1)), .init(.string("b"), .int32(2))]),
                "loose": .map([.init(.string("k"), .null), .init(.null, .int64(9))]),
            ],
            ["old": .null, "loose": .map([])],
        ]
        #expect(try Self.assemble(elements, batches, rows: 2) == expected)
    }

    // MARK: - Errors

    @Test func columnsWithDifferentRowCountsAreRejected() throws {
        let schema = try ParquetSchema([.int64("a", .required), .int64("b")])
        let assembler = try RecordAssembler(schema: schema, fields: [0, 1])
        let batches = [
            ColumnBatch(values: .int64([1, 2, 3])),
            ColumnBatch(values: .int64([1]), definitionLevels: [1, 0]),
        ]
        let error = thrownParquetError { _ = try assembler.assemble(batches, rowCount: 3) }
        #expect(error?.code == .corrupt)
        #expect(error?.message == "column a has 3 rows, column b has 2")
        let threeRows = [batches[0], ColumnBatch(values: .int64([1]), definitionLevels: [1, 0, 0])]
        #expect(try assembler.assemble(threeRows, rowCount: 3).count == 3)
        let wrongTotal = thrownParquetError { _ = try assembler.assemble(threeRows, rowCount: 4) }
        #expect(wrongTotal?.code == .corrupt)
        #expect(wrongTotal?.message.contains("row group has 4") == true)
    }

    @Test func firstRepetitionLevelMustBeZero() throws {
        let schema = try ParquetSchema([.list("tags", element: .int32("element"))])
        let assembler = try RecordAssembler(schema: schema, fields: [0])
        let batch = ColumnBatch(values: .int32([1, 2]), definitionLevels: [3, 3], repetitionLevels: [1, 0])
        let error = thrownParquetError { _ = try assembler.assemble([batch], rowCount: 1) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("tags.list.element") == true)
        #expect(error?.message.contains("repetition level 1") == true)
    }

    @Test func tooFewValuesAreRejected() throws {
        let schema = try ParquetSchema([.string("name")])
        let assembler = try RecordAssembler(schema: schema, fields: [0])
        let batch = ColumnBatch(values: Self.strings(["a"]), definitionLevels: [1, 0, 1])
        let error = thrownParquetError { _ = try assembler.assemble([batch], rowCount: 3) }
        #expect(error?.code == .corrupt)
        #expect(error?.message == "column name has 1 values but its definition levels call for 2")
    }

    @Test func mapKeyAndValueStreamsOfDifferentShapesAreRejected() throws {
        let schema = try ParquetSchema([.map("attrs", key: .string("key"), value: .string("value"))])
        let assembler = try RecordAssembler(schema: schema, fields: [0])
        let batches = [
            ColumnBatch(
                values: Self.strings(["k1", "k2", "k3"]),
                definitionLevels: [2, 2, 2],
                repetitionLevels: [0, 1, 0]
            ),
            ColumnBatch(
                values: Self.strings(["v1", "v2", "v3"]),
                definitionLevels: [3, 3, 3],
                repetitionLevels: [0, 0, 1]
            ),
        ]
        let error = thrownParquetError { _ = try assembler.assemble(batches, rowCount: 2) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("attrs.key_value.key") == true)
        #expect(error?.message.contains("attrs.key_value.value") == true)
    }

    @Test func mismatchedLevelStreamLengthsAndLevelsAboveTheMaximumAreRejected() throws {
        let schema = try ParquetSchema([.list("tags", element: .int32("element"))])
        let assembler = try RecordAssembler(schema: schema, fields: [0])
        let lengths = ColumnBatch(values: .int32([1]), definitionLevels: [3, 0], repetitionLevels: [0])
        #expect(thrownParquetError { _ = try assembler.assemble([lengths], rowCount: 1) }?.code == .corrupt)
        let high = ColumnBatch(values: .int32([]), definitionLevels: [4], repetitionLevels: [0])
        #expect(thrownParquetError { _ = try assembler.assemble([high], rowCount: 1) }?.code == .corrupt)
        let wrongType = ColumnBatch(values: .int64([1]), definitionLevels: [3], repetitionLevels: [0])
        #expect(thrownParquetError { _ = try assembler.assemble([wrongType], rowCount: 1) }?.code == .corrupt)
    }

    @Test func badProjectionsAreRejected() throws {
        let schema = try ParquetSchema([.int64("a"), .int64("b")])
        #expect(
            thrownParquetError { _ = try RecordAssembler(schema: schema, fields: [1, 0]) }?.code == .invalidArgument
        )
        #expect(thrownParquetError { _ = try RecordAssembler(schema: schema, fields: [2]) }?.code == .invalidArgument)
        let assembler = try RecordAssembler(schema: schema, fields: [1])
        #expect(thrownParquetError { _ = try assembler.assemble([], rowCount: 0) }?.code == .invalidArgument)
    }
}
