import JSONScan
import Parquet
import Testing

@testable import LaketapConvert

@Suite struct RecordConverterTests {
    /// Converts `lines`, reads the file back and returns canonical JSON rows and the rejections.
    static func convert(
        _ lines: [String],
        schema: StreamSchema
    ) throws -> (rows: [String], rejections: [RecordRejection?]) {
        let converter = try RecordConverter(schema: schema, sink: MemorySink(), batchRecords: 3)
        var rejections: [RecordRejection?] = []
        for (index, line) in lines.enumerated() {
            let bytes = Array(line.utf8)
            rejections.append(try bytes.withUnsafeBytes { try converter.append($0, line: index + 1) })
        }
        try converter.finish()
        let reader = try ParquetFileReader(source: MemorySource(converter.sink.bytes))
        let root = Field.group("row", reader.metadata.schema.fields)
        let rows = try reader.readAllRecords().map { ParquetValue.group($0).canonicalJSON(root) }
        return (rows, rejections)
    }

    static let schema = StreamSchema(fields: [
        StreamField("id", .int64, isNullable: false),
        StreamField("name", .string),
        StreamField("at", .timestamp(.text)),
        StreamField("tags", .list(.string)),
        StreamField("attrs", .map(.int64)),
        StreamField("user", .object([StreamField("age", .int64), StreamField("vip", .boolean)])),
        StreamField("raw", .json),
    ])

    @Test func shredsEveryShape() throws {
        let (rows, rejections) = try Self.convert(
            [
                #"{"id":1,"name":"a\"b","at":"2023-07-02T12:13:20.5Z","tags":["x",null],"attrs":{"k":1},"user":{"age":30,"vip":true},"raw":{"z":[1,2]}}"#,
                #"{"id":2,"tags":[],"attrs":{},"user":null,"raw":"text"}"#,
                #"{"id":3,"name":null,"tags":null}"#,
            ],
            schema: Self.schema
        )
        #expect(rejections.allSatisfy { $0 == nil })
        #expect(
            rows == [
                #"{"id":1,"name":"a\"b","at":{"$ts":1688300000500000,"unit":"us","utc":true},"tags":["x",null],"attrs":{"$map":[["k",1]]},"user":{"age":30,"vip":true},"raw":"{\"z\":[1,2]}","_extra":null}"#,
                #"{"id":2,"name":null,"at":null,"tags":[],"attrs":{"$map":[]},"user":null,"raw":"\"text\"","_extra":null}"#,
                #"{"id":3,"name":null,"at":null,"tags":null,"attrs":null,"user":null,"raw":null,"_extra":null}"#,
            ]
        )
    }

    @Test func keepsWhatTheSchemaCannotHoldInTheOverflowColumn() throws {
        let (rows, rejections) = try Self.convert(
            [#"{"id":1,"name":5,"extra":{"a":true},"user":{"age":"old","pet":"cat"},"tags":["x",7]}"#],
            schema: Self.schema
        )
        #expect(rejections == [nil])
        #expect(
            rows == [
                #"{"id":1,"name":null,"at":null,"tags":["x",null],"attrs":null,"user":{"age":null,"vip":null},"raw":null,"_extra":"{\"name\":5,\"extra\":{\"a\":true},\"user.age\":\"old\",\"user.pet\":\"cat\",\"tags[1]\":7}"}"#
            ]
        )
    }

    @Test func rejectsWholeRecordsWithReasons() throws {
        var schema = Self.schema
        schema.overflowColumn = nil
        let (rows, rejections) = try Self.convert(
            [
                #"{"id":1,"tags":["a","b"],"name":"kept"}"#,
                #"{"id":2,"tags":["c"],"name":5}"#,
                #"{"tags":["d"]}"#,
                #"{"id":4,"unknown":1}"#,
                #"[1,2]"#,
                #"{"id":6,"name":"x""#,
                #"{"id":7,"id":8}"#,
                #"{"id":9,"tags":["e"]}"#,
                #"{"id":10,"user":{"age":3,"vip":"no"}}"#,
            ],
            schema: schema
        )
        #expect(
            rejections.map { $0?.code } == [
                nil, .typeMismatch, .missingField, .unknownField, .notAnObject, .invalidJSON, .duplicateKey, nil,
                .typeMismatch,
            ]
        )
        #expect(rejections[1]?.message == "field 'name': expected string, found an integer")
        // A leaf the object loop appends itself names its member's path when the value does not fit.
        #expect(rejections[8]?.message == "field 'user.vip': expected boolean, found a string")
        // Rejected records leave nothing behind: the rows and their lists line up.
        #expect(rows.count == 2)
        #expect(rows[0].hasPrefix(#"{"id":1,"name":"kept","at":null,"tags":["a","b"]"#))
        #expect(rows[1].hasPrefix(#"{"id":9,"name":null,"at":null,"tags":["e"]"#))
    }

    /// Records rejected part-way (after values in nested objects, lists and maps) leave the file as if
    /// only the accepted records had been written, and absent objects stay distinct from empty ones.
    @Test func rejectedRecordsLeaveTheSameFileAsTheirAbsence() throws {
        var schema = Self.schema
        schema.overflowColumn = nil
        let accepted = [
            #"{"id":1,"user":{"age":30},"tags":["a"],"attrs":{"k":1}}"#,
            #"{"id":2,"user":{}}"#,
            #"{"id":3}"#,
            #"{"id":4,"name":"n","user":{"vip":false},"raw":[1]}"#,
        ]
        let rejected = [
            #"{"id":10,"name":"x","user":{"age":1,"vip":"no"}}"#,
            #"{"id":11,"tags":["a","b",3],"user":{"age":2}}"#,
            #"{"id":12,"attrs":{"k":1,"j":"s"},"name":"y"}"#,
            #"{"name":"z","user":{"age":3},"tags":["q"]}"#,
            #"{"id":13,"user":{"age":4},"nope":1}"#,
            // After a value in each kind of flat column (string, timestamp, JSON, boolean).
            #"{"id":14,"name":"w","at":"2024-01-01T00:00:00Z","raw":[2],"user":{"vip":true,"age":"x"}}"#,
        ]
        var mixed: [String] = []
        for (index, line) in accepted.enumerated() {
            mixed.append(rejected[index % rejected.count])
            mixed.append(line)
        }
        mixed.append(contentsOf: rejected[4...])
        let (rows, rejections) = try Self.convert(mixed, schema: schema)
        #expect(rejections.compactMap { $0 }.count == 6)
        let (expected, _) = try Self.convert(accepted, schema: schema)
        #expect(rows == expected)
        #expect(rows[1].contains(#""user":{"age":null,"vip":null}"#))
        #expect(rows[2].contains(#""user":null"#))
    }
}
